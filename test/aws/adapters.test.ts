import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateRepositoryCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import { startSim, type SimHarness } from "../support/sim.js";
import { EcsTaskDefinitions } from "../../src/aws/task-definitions.js";
import { EcrImageCatalog } from "../../src/aws/images.js";
import { AwsCallError, NotFoundError } from "../../src/errors.js";

const container = (image: string) => ({ name: "web", image, memory: 128 });

describe("AWS adapters against the simulator", () => {
  let h: SimHarness;
  let taskDefinitions: EcsTaskDefinitions;
  let images: EcrImageCatalog;
  beforeAll(async () => {
    h = await startSim();
    taskDefinitions = new EcsTaskDefinitions(h.clients.ecs);
    images = new EcrImageCatalog(h.clients.ecr);
  });
  afterAll(() => h.close());

  it("lists every revision of a family across pages, oldest first", async () => {
    for (let i = 1; i <= 230; i++) await taskDefinitions.register({ family: "paged", containerDefinitions: [container(`web:${i}`)] });
    await taskDefinitions.deregister("paged:3");
    const active = await taskDefinitions.listRevisions("paged");
    expect(active).toHaveLength(229);
    expect(active.slice(0, 3).map((r) => r.revision)).toEqual([1, 2, 4]);
    expect(active.at(-1)).toMatchObject({ family: "paged", revision: 230 });
    expect((await taskDefinitions.listRevisions("paged", "INACTIVE")).map((r) => r.revision)).toEqual([3]);
    expect(await taskDefinitions.listFamilies({ prefix: "pag" })).toEqual(["paged"]);
  });

  it("lists a family newest first and stops at the page that reaches a known revision", async () => {
    for (let i = 1; i <= 250; i++) await taskDefinitions.register({ family: "newest", containerDefinitions: [container(`web:${i}`)] });
    await taskDefinitions.deregister("newest:249");
    const lists = async () => {
      const counts = (await h.control("GET", "calls")) as { byOperation: Record<string, Record<string, number>> };
      return Object.values(counts.byOperation["ecs:ListTaskDefinitions"] ?? {}).reduce((a, b) => a + b, 0);
    };

    await h.control("DELETE", "calls");
    const unchanged = await taskDefinitions.listRevisionsNewestFirst("newest", "ACTIVE", { stopAtOrBelow: 250 });
    expect(await lists()).toBe(1);
    // The whole first page comes back, so a caller sees what left the newest end too (249 is gone).
    expect(unchanged).toHaveLength(100);
    expect(unchanged.slice(0, 3).map((r) => r.revision)).toEqual([250, 248, 247]);

    await h.control("DELETE", "calls");
    const reachingPageTwo = await taskDefinitions.listRevisionsNewestFirst("newest", "ACTIVE", { stopAtOrBelow: 120 });
    expect(await lists()).toBe(2);
    expect(reachingPageTwo.at(-1)?.revision).toBeLessThanOrEqual(120);

    await h.control("DELETE", "calls");
    const whole = await taskDefinitions.listRevisionsNewestFirst("newest");
    expect(await lists()).toBe(3);
    expect(whole).toHaveLength(249);
    expect(whole.map((r) => r.revision)).toEqual((await taskDefinitions.listRevisions("newest")).map((r) => r.revision).reverse());
    expect((await taskDefinitions.listRevisionsNewestFirst("newest", "INACTIVE", { stopAtOrBelow: 1 })).map((r) => r.revision)).toEqual([249]);
  });

  it("describes with tags, and answers undefined for what does not exist", async () => {
    await taskDefinitions.register({ family: "tagged", containerDefinitions: [container("web:1")], tags: [{ key: "slipway:release", value: "1.0.0" }] });
    const described = await taskDefinitions.describe("tagged");
    expect(described?.taskDefinition.revision).toBe(1);
    expect(described?.tags).toEqual([{ key: "slipway:release", value: "1.0.0" }]);
    expect(await taskDefinitions.describe("nothing-here")).toBeUndefined();
  });

  it("wraps a failed call with the operation and resource", async () => {
    const failure = await taskDefinitions.register({ family: "bad family!", containerDefinitions: [container("web:1")] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).message).toMatch(/^RegisterTaskDefinition on bad family! failed: ClientException/);
  });

  it("reads a repository and all of its images", async () => {
    await h.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: "shop/web" }));
    await h.clients.ecr.send(new PutImageCommand({ repositoryName: "shop/web", imageManifest: '{"v":1}', imageTag: "1.0.0" }));
    await h.clients.ecr.send(new PutImageCommand({ repositoryName: "shop/web", imageManifest: '{"v":2}', imageTag: "1.1.0" }));
    const repo = await images.repository("shop/web");
    expect(repo.uri).toBe("000000000000.dkr.ecr.us-east-1.amazonaws.com/shop/web");
    const listed = await images.images("shop/web");
    expect(listed.map((i) => i.tags)).toEqual([["1.0.0"], ["1.1.0"]]);
    expect(listed[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(images.repository("missing")).rejects.toBeInstanceOf(NotFoundError);
  });
});
