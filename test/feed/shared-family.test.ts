import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand, type KeyValuePair } from "@aws-sdk/client-ecs";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EcsTaskDefinitions, type TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { environmentTag } from "../../steps/task-definition/ownership.js";
import { startFeedWorld, type FeedWorld } from "./feed-world.js";
import { expectMatchesOpenApi } from "./openapi-check.js";

const packages = "/v1/environments/{environment}/packages";
const onePackage = `${packages}/{family}`;
const versions = `${onePackage}/versions`;
const oneVersion = `${versions}/{version}`;

/** The password revision 1 held in its environment, before slipway moved secrets to ECS `secrets`. */
const oldPassword = "hunter2-rotated-long-ago";

type Listed = { items: { version: string; environment: string | null }[] };
const listed = (body: Listed) => body.items.map((v) => [v.version, v.environment]);

/**
 * dev, test and prod in one account and region (the simulator's us-east-1), sharing the family shop-web:
 * revisions registered in turn by each environment (tagged as slipway tags them), and one registered by hand.
 */
describe("environments sharing an account, a region and a family", () => {
  let w: FeedWorld;
  let app: Express;
  const sources = (): Map<string, TaskDefinitionReader> => new Map(["dev", "test", "prod"].map((env) => [env, new EcsTaskDefinitions(w.h.clients.ecs)]));
  const register = (family: string, owner: string | undefined, image: string, environment: KeyValuePair[] = []) =>
    w.h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ name: "web", image, memory: 128, environment }],
        ...(owner !== undefined && { tags: [{ key: environmentTag, value: owner }] }),
      }),
    );
  const database = (host: string): KeyValuePair[] => [{ name: "DB_HOST", value: host }];

  beforeAll(async () => {
    w = await startFeedWorld();
    await register("shop-web", "dev", "shop/web:1.0.0", [
      { name: "DB_PASSWORD", value: oldPassword },
      { name: "DATABASE_URL", value: `postgres://shop:${oldPassword}@dev-db.internal/shop` },
      { name: "LOG_LEVEL", value: "debug" },
    ]);
    await register("shop-web", "test", "shop/web:1.0.0", database("test-db.internal"));
    await register("shop-web", "prod", "shop/web:1.0.0", database("prod-db.internal"));
    await register("shop-web", "dev", "shop/web:1.1.0", database("dev-db.internal"));
    await register("shop-web", "test", "shop/web:1.1.0", database("test-db.internal"));
    await register("shop-web", "prod", "shop/web:1.1.0", database("prod-db.internal"));
    await register("shop-web", "dev", "shop/web:1.2.0", database("dev-db.internal"));
    await register("shop-web", undefined, "shop/web:by-hand");
    await w.h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "shop-web:4" }));
    for (let i = 1; i <= 2; i++) await register("shop-worker", "dev", `shop/worker:${i}`);
    app = w.app({ sources: sources(), secretEnvironmentNames: new Set(["DB_PASSWORD", "DATABASE_URL"]) });
  });
  afterAll(() => w.close());

  const ok = (path: string, template: string) => w.ok(app, path, template);

  it.each([
    ["dev", "7", "shop/web:1.2.0", "2"],
    ["test", "5", "shop/web:1.1.0", null],
    ["prod", "6", "shop/web:1.1.0", null],
  ])("gives %s its own newest ACTIVE revision as latestVersion (%s), and lists families it has none of", async (env, latest, image, worker) => {
    const { body } = await ok(`/v1/environments/${env}/packages`, packages);
    expect(body.items.map((p: { name: string; latestVersion: string | null }) => [p.name, p.latestVersion])).toEqual([
      ["shop-web", latest],
      ["shop-worker", worker],
    ]);
    expect(body.items[0].images[0].image).toBe(image);
    const one = await ok(`/v1/environments/${env}/packages/shop-web`, onePackage);
    expect(one.body).toMatchObject({ environment: env, latestVersion: latest });
  });

  it("answers the family's newest revision, whoever it belongs to, with all=true", async () => {
    const { body } = await ok("/v1/environments/prod/packages/shop-web?all=true", onePackage);
    expect(body).toMatchObject({ latestVersion: "8", images: [{ image: "shop/web:by-hand" }] });
    const list = await ok("/v1/environments/prod/packages?all=true", packages);
    expect(list.body.items.map((p: { latestVersion: string | null }) => p.latestVersion)).toEqual(["8", "2"]);
  });

  it("lists only the environment's versions, saying whose each is", async () => {
    const dev = await ok("/v1/environments/dev/packages/shop-web/versions", versions);
    expect(listed(dev.body)).toEqual([
      ["7", "dev"],
      ["1", "dev"],
    ]);
    expect(dev.body.paging).toEqual({ page: 1, pageSize: 50, totalItems: 2, totalPages: 1 });
    const test = await ok("/v1/environments/test/packages/shop-web/versions", versions);
    expect(listed(test.body)).toEqual([
      ["5", "test"],
      ["2", "test"],
    ]);
    const prod = await ok("/v1/environments/prod/packages/shop-web/versions?range=%3E%3D4", versions);
    expect(listed(prod.body)).toEqual([["6", "prod"]]);
    const inactive = await ok("/v1/environments/dev/packages/shop-web/versions?status=INACTIVE", versions);
    expect(listed(inactive.body)).toEqual([["4", "dev"]]);
    expect((await ok("/v1/environments/prod/packages/shop-web/versions?status=INACTIVE", versions)).body.items).toEqual([]);
  });

  it("lists every revision of the family, each with its owner, with all=true", async () => {
    const { body } = await ok("/v1/environments/prod/packages/shop-web/versions?all=true", versions);
    expect(listed(body)).toEqual([
      ["8", null],
      ["7", "dev"],
      ["6", "prod"],
      ["5", "test"],
      ["3", "prod"],
      ["2", "test"],
      ["1", "dev"],
    ]);
    expect(body.paging).toMatchObject({ totalItems: 7, totalPages: 1 });
  });

  it("answers 404 for another environment's revision, or one of none, naming all=true", async () => {
    for (const [path, owner] of [
      ["/v1/environments/prod/packages/shop-web/versions/7", /belongs to dev/],
      ["/v1/environments/dev/packages/shop-web/versions/8", /belongs to no environment/],
    ] as const) {
      const res = await w.get(app, path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: "not-found" });
      expect(res.body.message).toMatch(owner);
      expect(res.body.hint).toMatch(/\?all=true/);
      expectMatchesOpenApi(oneVersion, 404, res.body);
    }
    const own = await ok("/v1/environments/prod/packages/shop-web/versions/6", oneVersion);
    expect(own.body).toMatchObject({ environment: "prod", slipway: { environment: "prod" } });
    const other = await ok("/v1/environments/prod/packages/shop-web/versions/7?all=true", oneVersion);
    expect(other.body).toMatchObject({ environment: "dev", revision: 7 });
    const none = await ok("/v1/environments/dev/packages/shop-web/versions/8?all=true", oneVersion);
    expect(none.body).toMatchObject({ environment: null, tags: [] });
  });

  it("masks the values of secret environment entries an old revision holds", async () => {
    for (const path of ["/v1/environments/dev/packages/shop-web/versions/1", "/v1/environments/prod/packages/shop-web/versions/1?all=true"]) {
      const res = await ok(path, oneVersion);
      expect(res.text).not.toContain(oldPassword);
      expect(res.body.taskDefinition.containerDefinitions[0].environment).toEqual([
        { name: "DB_PASSWORD", value: "***" },
        { name: "DATABASE_URL", value: "***" },
        { name: "LOG_LEVEL", value: "debug" },
      ]);
    }
  });
});

describe("what finding an environment's revisions costs", () => {
  let w: FeedWorld;
  const revisionCount = 30;
  const freshMs = 30_000;
  beforeAll(async () => {
    w = await startFeedWorld();
    // dev 1, test 2, prod 3, dev 4, …: dev has 10 of the 30, the newest of them 28.
    const owners = ["dev", "test", "prod"];
    for (let r = 1; r <= revisionCount; r++) {
      await w.h.clients.ecs.send(
        new RegisterTaskDefinitionCommand({ family: "cycle", containerDefinitions: [{ name: "web", image: `cycle:${r}`, memory: 128 }], tags: [{ key: environmentTag, value: owners[(r - 1) % 3] as string }] }),
      );
    }
  });
  afterAll(() => w.close());

  it("describes only as far as an answer needs, and never describes a revision twice for its owner", async () => {
    // Descriptions are kept only a minute here; owners are kept regardless.
    const app = w.app({ sources: new Map([["dev", new EcsTaskDefinitions(w.h.clients.ecs)]]), freshMs, detailMs: 60_000 });
    const describes = () => w.ecsCalls("ecs:DescribeTaskDefinition");
    await w.h.control("DELETE", "calls");

    const pkg = await w.get(app, "/v1/environments/dev/packages/cycle");
    expect(pkg.body.latestVersion).toBe("28");
    // The family's newest (30, prod's), then newest first from 29: a few, not 30.
    expect(await describes()).toBeLessThanOrEqual(5);

    const first = await w.get(app, "/v1/environments/dev/packages/cycle/versions?pageSize=2");
    expect(first.body.items.map((v: { revision: number }) => v.revision)).toEqual([28, 25]);
    // Not counted yet: at least one more page follows.
    expect(first.body.paging).toEqual({ page: 1, pageSize: 2, totalItems: null, totalPages: null });
    expectMatchesOpenApi(versions, 200, first.body);
    expect(await describes()).toBeLessThan(revisionCount);

    const last = await w.get(app, "/v1/environments/dev/packages/cycle/versions?pageSize=2&page=5");
    expect(last.body.items.map((v: { revision: number }) => v.revision)).toEqual([4, 1]);
    expect(last.body.paging).toEqual({ page: 5, pageSize: 2, totalItems: 10, totalPages: 5 });
    // Each revision described once: 30 as the family's newest, the others by the scans.
    expect(await describes()).toBe(revisionCount);

    // Past the descriptions' hour (here a minute) and a listing window: the owners are still known.
    w.clock.advance(2 * 60_000);
    await w.h.control("DELETE", "calls");
    const again = await w.get(app, "/v1/environments/dev/packages/cycle/versions?pageSize=2");
    expect(again.body.paging).toEqual({ page: 1, pageSize: 2, totalItems: 10, totalPages: 5 });
    expect(await describes()).toBe(0);
  });
});
