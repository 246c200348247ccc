import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ListImagesCommand,
  PutImageCommand,
  type DescribeImagesCommandOutput,
  type ECRClient,
  type ImageIdentifier,
} from "@aws-sdk/client-ecr";
import { startSim, type SimHarness } from "../support/sim.js";

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);
const host = "000000000000.dkr.ecr.us-east-1.amazonaws.com";

/** A small but real-looking image manifest; `n` makes it (and so its digest) distinct. */
function manifest(n: number): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 100, digest: `sha256:${String(n).padStart(64, "0")}` },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 1000 + n, digest: `sha256:${String(n + 1).padStart(64, "0")}` }],
  });
}
const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

async function put(ecr: ECRClient, repositoryName: string, n: number, imageTag?: string) {
  const out = await ecr.send(new PutImageCommand({ repositoryName, imageManifest: manifest(n), ...(imageTag && { imageTag }) }));
  return out.image?.imageId?.imageDigest ?? "";
}

async function tagsByDigest(ecr: ECRClient, repositoryName: string): Promise<Record<string, string[]>> {
  const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName }));
  return Object.fromEntries((imageDetails ?? []).map((d) => [d.imageDigest ?? "", d.imageTags ?? []]));
}

describe("simulated ECR", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("creates repositories with the registry URI and refuses duplicates and bad names", async () => {
    const { repository } = await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "team/web" }));
    expect(repository).toMatchObject({
      repositoryName: "team/web",
      repositoryUri: `${host}/team/web`,
      repositoryArn: "arn:aws:ecr:us-east-1:000000000000:repository/team/web",
      registryId: "000000000000",
      imageTagMutability: "MUTABLE",
    });
    expect(repository?.createdAt).toBeInstanceOf(Date);
    expect((await errorOf(h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "team/web" }))))?.name).toBe("RepositoryAlreadyExistsException");
    expect((await errorOf(h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "Upper" }))))?.name).toBe("InvalidParameterException");
  });

  it("digests the manifest bytes, and the same manifest is always the same digest", async () => {
    const digest = await put(h.clients.ecr, "team/web", 1, "v1");
    expect(digest).toBe(sha(manifest(1)));
    const again = await h.clients.ecr.send(new PutImageCommand({ repositoryName: "team/web", imageManifest: manifest(1), imageTag: "also" }));
    expect(again.image?.imageId).toEqual({ imageDigest: digest, imageTag: "also" });
    expect(await tagsByDigest(h.clients.ecr, "team/web")).toEqual({ [digest]: ["v1", "also"] });
  });

  it("refuses a push that changes nothing with ImageAlreadyExistsException", async () => {
    const error = await errorOf(h.clients.ecr.send(new PutImageCommand({ repositoryName: "team/web", imageManifest: manifest(1), imageTag: "v1" })));
    expect(error?.name).toBe("ImageAlreadyExistsException");
  });

  it("moves a tag to the newly pushed image in a MUTABLE repository; the old image keeps its other tags", async () => {
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "mutable" }));
    const first = await put(h.clients.ecr, "mutable", 10, "latest");
    const second = await put(h.clients.ecr, "mutable", 11, "latest");
    expect(await tagsByDigest(h.clients.ecr, "mutable")).toEqual({ [first]: [], [second]: ["latest"] });
    const untagged = await h.clients.ecr.send(new ListImagesCommand({ repositoryName: "mutable", filter: { tagStatus: "UNTAGGED" } }));
    expect(untagged.imageIds).toEqual([{ imageDigest: first }]);
  });

  it("refuses to retag in an IMMUTABLE repository with ImageTagAlreadyExistsException", async () => {
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "frozen", imageTagMutability: "IMMUTABLE" }));
    const digest = await put(h.clients.ecr, "frozen", 20, "1.0.0");
    const error = await errorOf(put(h.clients.ecr, "frozen", 21, "1.0.0"));
    expect(error?.name).toBe("ImageTagAlreadyExistsException");
    // A new tag on a new image is fine, and the old tag still points where it did.
    await put(h.clients.ecr, "frozen", 21, "1.0.1");
    const { imageDetails } = await h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "frozen", imageIds: [{ imageTag: "1.0.0" }] }));
    expect(imageDetails?.[0]?.imageDigest).toBe(digest);
  });

  it("describes images with size, push time, media type and tags; by tag, by digest, and unknown ones refused", async () => {
    const digest = sha(manifest(1));
    const { imageDetails } = await h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "team/web", imageIds: [{ imageDigest: digest }] }));
    expect(imageDetails?.[0]).toMatchObject({
      repositoryName: "team/web",
      imageDigest: digest,
      imageTags: ["v1", "also"],
      imageSizeInBytes: 1001,
      imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    });
    expect(imageDetails?.[0]?.imagePushedAt).toBeInstanceOf(Date);
    const missing = await errorOf(h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "team/web", imageIds: [{ imageTag: "nope" }] })));
    expect(missing?.name).toBe("ImageNotFoundException");
    const mixed = await errorOf(h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "team/web", imageIds: [{ imageTag: "v1" }], maxResults: 5 })));
    expect(mixed?.name).toBe("InvalidParameterException");
    const noRepo = await errorOf(h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "nowhere" })));
    expect(noRepo?.name).toBe("RepositoryNotFoundException");
  });

  it("pages ListImages and DescribeImages through every image exactly once, honouring tag filters", async () => {
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "paged" }));
    const expected: ImageIdentifier[] = [];
    for (let n = 100; n < 125; n++) {
      const tag = n % 5 === 0 ? undefined : `t${n}`;
      const digest = await put(h.clients.ecr, "paged", n, tag);
      expected.push({ imageDigest: digest, ...(tag && { imageTag: tag }) });
    }
    const listed: ImageIdentifier[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.clients.ecr.send(new ListImagesCommand({ repositoryName: "paged", maxResults: 7, ...(nextToken && { nextToken }) }));
      listed.push(...(page.imageIds ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(listed).toEqual(expected);
    const tagged = await h.clients.ecr.send(new ListImagesCommand({ repositoryName: "paged", filter: { tagStatus: "TAGGED" } }));
    expect(tagged.imageIds).toEqual(expected.filter((i) => i.imageTag));
    const described: string[] = [];
    nextToken = undefined;
    do {
      const page: DescribeImagesCommandOutput = await h.clients.ecr.send(new DescribeImagesCommand({ repositoryName: "paged", maxResults: 4, filter: { tagStatus: "UNTAGGED" }, ...(nextToken && { nextToken }) }));
      described.push(...(page.imageDetails ?? []).map((d) => d.imageDigest ?? ""));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(described).toEqual(expected.filter((i) => !i.imageTag).map((i) => i.imageDigest));
    for (const maxResults of [0, 1001]) {
      expect((await errorOf(h.clients.ecr.send(new ListImagesCommand({ repositoryName: "paged", maxResults }))))?.name).toBe("InvalidParameterException");
    }
  });

  it("gets images by tag or digest and lists misses as failures", async () => {
    const digest = sha(manifest(1));
    const out = await h.clients.ecr.send(new BatchGetImageCommand({ repositoryName: "team/web", imageIds: [{ imageTag: "v1" }, { imageDigest: digest }, { imageTag: "nope" }] }));
    expect(out.images?.map((i) => i.imageId)).toEqual([{ imageDigest: digest, imageTag: "v1" }, { imageDigest: digest }]);
    expect(out.images?.[0]?.imageManifest).toBe(manifest(1));
    expect(out.failures).toEqual([{ imageId: { imageTag: "nope" }, failureCode: "ImageNotFound", failureReason: "Requested image not found" }]);
  });

  it("deletes by tag (just the tag, until the last one goes) and by digest (the image)", async () => {
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "cleanup" }));
    const a = await put(h.clients.ecr, "cleanup", 30, "a1");
    await put(h.clients.ecr, "cleanup", 30, "a2");
    const b = await put(h.clients.ecr, "cleanup", 31, "b1");
    const byTag = await h.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: "cleanup", imageIds: [{ imageTag: "a1" }] }));
    expect(byTag.imageIds).toEqual([{ imageDigest: a, imageTag: "a1" }]);
    expect(await tagsByDigest(h.clients.ecr, "cleanup")).toEqual({ [a]: ["a2"], [b]: ["b1"] });
    const byDigest = await h.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: "cleanup", imageIds: [{ imageDigest: b }, { imageTag: "zz" }, {}] }));
    expect(byDigest.imageIds).toEqual([{ imageDigest: b, imageTag: "b1" }]);
    expect(byDigest.failures?.map((f) => f.failureCode)).toEqual(["ImageNotFound", "MissingDigestAndTag"]);
    // Removing the last tag removes the image.
    await h.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: "cleanup", imageIds: [{ imageTag: "a2" }] }));
    expect(await tagsByDigest(h.clients.ecr, "cleanup")).toEqual({});
  });

  it("describes and pages repositories, and deletes a non-empty one only with force", async () => {
    const named = await h.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["mutable", "frozen"] }));
    expect(named.repositories?.map((r) => r.repositoryName)).toEqual(["mutable", "frozen"]);
    expect((await errorOf(h.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["ghost"] }))))?.name).toBe("RepositoryNotFoundException");
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.clients.ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, ...(nextToken && { nextToken }) }));
      names.push(...(page.repositories ?? []).map((r) => r.repositoryName ?? ""));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["team/web", "mutable", "frozen", "paged", "cleanup"]));
    expect((await errorOf(h.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: "mutable" }))))?.name).toBe("RepositoryNotEmptyException");
    await h.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: "mutable", force: true }));
    await h.clients.ecr.send(new DeleteRepositoryCommand({ repositoryName: "cleanup" }));
    const after = await h.clients.ecr.send(new DescribeRepositoriesCommand({}));
    expect(after.repositories?.map((r) => r.repositoryName)).not.toContain("mutable");
  });

  it("resolves image URIs with host, without host, and by digest", () => {
    const digest = sha(manifest(1));
    const expected = { repositoryName: "team/web", imageDigest: digest, imageTags: ["v1", "also"] };
    expect(h.sim.ecr.resolveImage("us-east-1", `${host}/team/web:v1`)).toEqual(expected);
    expect(h.sim.ecr.resolveImage("us-east-1", `team/web:also`)).toEqual(expected);
    expect(h.sim.ecr.resolveImage("us-east-1", `${host}/team/web@${digest}`)).toEqual(expected);
    expect(h.sim.ecr.resolveImage("us-east-1", `${host}/team/web:missing`)).toBeUndefined();
    expect(h.sim.ecr.resolveImage("eu-west-1", `${host}/team/web:v1`)).toBeUndefined();
  });

  it("pushes through the control route with a fresh digest each time, creating the repository on request", async () => {
    type Pushed = { imageDigest: string; imageTags: string[]; imageUris: string[] };
    const first = (await h.control("POST", "ecr/push", { repository: "demo", tags: ["1.0", "latest"], create: true })) as Pushed;
    const second = (await h.control("POST", "ecr/push", { repository: "demo", tags: ["1.1", "latest"] })) as Pushed;
    expect(first.imageDigest).not.toBe(second.imageDigest);
    expect(second.imageUris).toEqual([`${host}/demo:1.1`, `${host}/demo:latest`]);
    expect(await tagsByDigest(h.clients.ecr, "demo")).toEqual({ [first.imageDigest]: ["1.0"], [second.imageDigest]: ["1.1", "latest"] });
    expect(h.sim.ecr.resolveImage("us-east-1", "demo:latest")?.imageDigest).toBe(second.imageDigest);
    await expect(h.control("POST", "ecr/push", { repository: "absent", tags: ["x"] })).rejects.toThrow(/404/);
  });
});
