import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
} from "@aws-sdk/client-ecr";
import { startSim, type SimHarness } from "../support/sim.js";

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

/** The lifecycle policy the ECR User Guide shows first: expire untagged images older than 14 days. */
const untaggedAfter14Days = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: "Expire images older than 14 days",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
      action: { type: "expire" },
    },
  ],
});

describe("ECR: registry login, scan findings and lifecycle policies", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "shop/web" }));
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "shop/scanned", imageScanningConfiguration: { scanOnPush: true } }));
    await h.control("POST", "ecr/push", { repository: "shop/web", tags: ["1.0.0"] });
    await h.control("POST", "ecr/push", { repository: "shop/scanned", tags: ["1.0.0"] });
  });
  afterAll(() => h.close());

  it("hands out a docker login for the simulator's registry: base64 AWS:<password>, valid for 12 hours", async () => {
    const before = Date.parse(((await h.control("GET", "clock")) as { now: string }).now);
    const { authorizationData } = await h.clients.ecr.send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData).toHaveLength(1);
    const data = authorizationData?.[0];
    expect(data?.proxyEndpoint).toBe("https://000000000000.dkr.ecr.us-east-1.amazonaws.com");
    expect(Buffer.from(data?.authorizationToken ?? "", "base64").toString("utf8")).toMatch(/^AWS:[A-Za-z0-9+/=]{20,}$/);
    const expires = data?.expiresAt?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThanOrEqual(12 * 3600_000);
    expect(expires - before).toBeLessThan(12 * 3600_000 + 60_000);
    const two = await h.clients.ecr.send(new GetAuthorizationTokenCommand({ registryIds: ["000000000000", "111111111111"] }));
    expect(two.authorizationData?.map((d) => d.proxyEndpoint)).toEqual(["https://000000000000.dkr.ecr.us-east-1.amazonaws.com", "https://111111111111.dkr.ecr.us-east-1.amazonaws.com"]);
    expect(await errorOf(h.clients.ecr.send(new GetAuthorizationTokenCommand({ registryIds: ["12"] })))).toMatchObject({ name: "InvalidParameterException" });
  });

  it("answers ScanNotFoundException for an image pushed with scan on push off, as AWS does", async () => {
    const error = await errorOf(h.clients.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "shop/web", imageId: { imageTag: "1.0.0" } })));
    expect(error).toMatchObject({ name: "ScanNotFoundException" });
    expect(error?.message).toMatch(/^Image scan does not exist for the image with '\{imageDigest:'null', imageTag:'1.0.0'\}' in the repository with name 'shop\/web'/);
    const missing = await errorOf(h.clients.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "shop/web", imageId: { imageTag: "9.9.9" } })));
    expect(missing).toMatchObject({ name: "ImageNotFoundException" });
    const noRepo = await errorOf(h.clients.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "nope", imageId: { imageTag: "1.0.0" } })));
    expect(noRepo).toMatchObject({ name: "RepositoryNotFoundException" });
  });

  it("reports a COMPLETE scan without findings for an image pushed with scan on push, in DescribeImages too", async () => {
    const out = await h.clients.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: "shop/scanned", imageId: { imageTag: "1.0.0" } }));
    expect(out.imageScanStatus).toEqual({ status: "COMPLETE", description: "The scan was completed successfully." });
    expect(out.imageScanFindings).toMatchObject({ findingSeverityCounts: {}, findings: [] });
    expect(out.imageScanFindings?.imageScanCompletedAt).toBeInstanceOf(Date);
    expect(out.imageId).toMatchObject({ imageTag: "1.0.0", imageDigest: expect.stringMatching(/^sha256:/) });
    const { imageDetails } = await h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "shop/scanned" }));
    expect(imageDetails?.[0]?.imageScanStatus?.status).toBe("COMPLETE");
    const plain = await h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "shop/web" }));
    expect(plain.imageDetails?.[0]?.imageScanStatus).toBeUndefined();
  });

  it("stores a lifecycle policy as given, answers it back, and deletes it", async () => {
    expect(await errorOf(h.clients.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "shop/web" })))).toMatchObject({ name: "LifecyclePolicyNotFoundException" });
    const put = await h.clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "shop/web", lifecyclePolicyText: untaggedAfter14Days }));
    expect(put).toMatchObject({ registryId: "000000000000", repositoryName: "shop/web", lifecyclePolicyText: untaggedAfter14Days });
    const got = await h.clients.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "shop/web" }));
    expect(got.lifecyclePolicyText).toBe(untaggedAfter14Days);
    const deleted = await h.clients.ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: "shop/web" }));
    expect(deleted.lifecyclePolicyText).toBe(untaggedAfter14Days);
    expect(await errorOf(h.clients.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "shop/web" })))).toMatchObject({ name: "LifecyclePolicyNotFoundException" });
  });

  it("refuses policy text that is not JSON, too short, or breaks ECR's documented rules", async () => {
    const refused = async (text: string) => {
      const error = await errorOf(h.clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "shop/web", lifecyclePolicyText: text })));
      expect(error, text).toMatchObject({ name: "InvalidParameterException" });
      return error?.message ?? "";
    };
    expect(await refused("{}")).toMatch(/length between 100 and 30720/);
    expect(await refused(`{"rules": [${" ".repeat(100)}`)).toMatch(/^Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: /);
    const rule = (selection: object, extra: object = {}) => ({ rulePriority: 1, selection, action: { type: "expire" }, ...extra });
    const policy = (...rules: object[]) => JSON.stringify({ rules }).padEnd(100, " ");
    await refused(policy(rule({ tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 5 })));
    await refused(policy(rule({ tagStatus: "untagged", countType: "imageCountMoreThan", countUnit: "days", countNumber: 5 })));
    await refused(policy(rule({ tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 5 })));
    await refused(policy(rule({ tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 0 })));
    await refused(policy(rule({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 5 }), rule({ tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 5 }, { rulePriority: 2 })));
    await refused(policy(rule({ tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 5 }), rule({ tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 5 })));
    // A tagged rule with a prefix list, then "any" last, is fine.
    const ok = policy(
      rule({ tagStatus: "tagged", tagPrefixList: ["release"], countType: "imageCountMoreThan", countNumber: 10 }),
      rule({ tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 90 }, { rulePriority: 2 }),
    );
    await h.clients.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: "shop/web", lifecyclePolicyText: ok }));
  });
});
