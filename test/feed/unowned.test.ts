import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EcsTaskDefinitions, type TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { environmentTag } from "../../steps/task-definition/ownership.js";
import { startFeedWorld, type FeedWorld } from "./feed-world.js";
import { expectMatchesOpenApi } from "./openapi-check.js";

const versions = "/v1/environments/{environment}/packages/{family}/versions";

type Listed = { items: { version: string; environment: string | null }[] };
const listed = (body: Listed) => body.items.map((v) => [v.version, v.environment]);

/**
 * dev and prod sharing the family shop-api in one account and region (the simulator's us-east-1), with revisions
 * registered outside slipway (no slipway:environment tag) between theirs: `?unowned=true` lists what a release may
 * choose a package from — the revisions of no environment, never an environment's own.
 */
describe("versions with unowned=true: those of no environment, instead of the environment's own", () => {
  let w: FeedWorld;
  let app: Express;
  const channels = [
    { name: "stable", isDefault: true, imageTags: {}, revisions: { "shop-api": ">=5" } },
    { name: "edge", isDefault: false, imageTags: {} },
  ];
  const newApp = () => w.app({ sources: new Map<string, TaskDefinitionReader>(["dev", "prod"].map((env) => [env, new EcsTaskDefinitions(w.h.clients.ecs)])), channels });
  const register = (owner: string | undefined, image: string) =>
    w.h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "shop-api",
        containerDefinitions: [{ name: "api", image, memory: 128 }],
        ...(owner !== undefined && { tags: [{ key: environmentTag, value: owner }] }),
      }),
    );

  beforeAll(async () => {
    w = await startFeedWorld();
    // 1 none, 2 dev, 3 prod, 4 none (deregistered), 5 dev, 6 none, 7 prod, 8 dev, 9 none, 10 prod.
    const owners = [undefined, "dev", "prod", undefined, "dev", undefined, "prod", "dev", undefined, "prod"];
    for (const [i, owner] of owners.entries()) await register(owner, `shop/api:${i + 1}`);
    await w.h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "shop-api:4" }));
    app = newApp();
  });
  afterAll(() => w.close());

  const ok = (path: string) => w.ok(app, path, versions);

  it("lists only the environment's own by default, and with unowned=false", async () => {
    for (const query of ["", "?unowned=false"]) {
      const { body } = await ok(`/v1/environments/dev/packages/shop-api/versions${query}`);
      expect(listed(body)).toEqual([
        ["8", "dev"],
        ["5", "dev"],
        ["2", "dev"],
      ]);
      expect(body.paging).toEqual({ page: 1, pageSize: 50, totalItems: 3, totalPages: 1 });
    }
  });

  it.each(["dev", "prod"])("lists, in %s's account, no environment's revisions newest first — neither its own nor another's", async (env) => {
    const { body } = await ok(`/v1/environments/${env}/packages/shop-api/versions?unowned=true`);
    expect(listed(body)).toEqual([
      ["9", null],
      ["6", null],
      ["1", null],
    ]);
    expect(body).toMatchObject({ environment: env, package: "shop-api", status: "ACTIVE", paging: { page: 1, pageSize: 50, totalItems: 3, totalPages: 1 } });
  });

  it("applies to INACTIVE revisions too", async () => {
    expect(listed((await ok("/v1/environments/dev/packages/shop-api/versions?status=INACTIVE&unowned=true")).body)).toEqual([["4", null]]);
    expect((await ok("/v1/environments/dev/packages/shop-api/versions?status=INACTIVE")).body.items).toEqual([]);
  });

  it("pages, counting the untagged apart from the environment's own", async () => {
    const fresh = newApp();
    const page = (query: string) => w.ok(fresh, `/v1/environments/dev/packages/shop-api/versions?unowned=true&pageSize=1${query}`, versions);
    const first = await page("");
    expect(listed(first.body)).toEqual([["9", null]]);
    // Owners read only as far as the page and one more: not counted yet, so a next page follows.
    expect(first.body.paging).toEqual({ page: 1, pageSize: 1, totalItems: null, totalPages: null });
    const last = await page("&page=3");
    expect(listed(last.body)).toEqual([["1", null]]);
    expect(last.body.paging).toEqual({ page: 3, pageSize: 1, totalItems: 3, totalPages: 3 });
    expect((await page("")).body.paging).toEqual({ page: 1, pageSize: 1, totalItems: 3, totalPages: 3 });
    expect((await page("&page=4")).body).toMatchObject({ items: [], paging: { totalItems: 3, totalPages: 3 } });
    // The environment's own are counted on their own: both counts of one listing are kept, neither replaces the other.
    const own = await w.ok(fresh, "/v1/environments/dev/packages/shop-api/versions?pageSize=2", versions);
    expect(listed(own.body)).toEqual([
      ["8", "dev"],
      ["5", "dev"],
    ]);
    expect(own.body.paging).toEqual({ page: 1, pageSize: 2, totalItems: 3, totalPages: 2 });
    expect((await page("")).body.paging).toMatchObject({ totalItems: 3 });
  });

  it("gives, newest first, what release create may choose on a channel: the channel's rule, within range", async () => {
    const stable = await ok("/v1/environments/dev/packages/shop-api/versions?channel=stable&unowned=true");
    expect(listed(stable.body)).toEqual([
      ["9", null],
      ["6", null],
    ]);
    expect(stable.body).toMatchObject({ channel: { name: "stable", range: ">=5.0.0" }, paging: { totalItems: 2, totalPages: 1 } });
    const below = await ok(`/v1/environments/dev/packages/shop-api/versions?channel=stable&unowned=true&range=${encodeURIComponent("<9")}`);
    expect(listed(below.body)).toEqual([["6", null]]);
    expect(below.body).toMatchObject({ range: "<9.0.0-0", paging: { totalItems: 1 } });
    const interval = await ok(`/v1/environments/prod/packages/shop-api/versions?unowned=true&range=${encodeURIComponent("[1,7)")}`);
    expect(listed(interval.body)).toEqual([
      ["6", null],
      ["1", null],
    ]);
    const edge = await ok("/v1/environments/prod/packages/shop-api/versions?channel=edge&unowned=true&pageSize=1");
    expect(edge.body).toMatchObject({ channel: { name: "edge", range: null }, items: [{ version: "9", environment: null }] });
  });

  it("changes nothing with all=true, which lists every revision already", async () => {
    const all = await ok("/v1/environments/dev/packages/shop-api/versions?all=true");
    const both = await ok("/v1/environments/dev/packages/shop-api/versions?all=true&unowned=true");
    expect(both.body).toEqual(all.body);
    expect(listed(both.body).map(([version]) => version)).toEqual(["10", "9", "8", "7", "6", "5", "3", "2", "1"]);
    expect(both.body.items[0]).toMatchObject({ version: "10", environment: "prod" });
  });

  it.each([
    ["yes", /unowned must be true or false, got "yes"/],
    ["1", /unowned must be true or false/],
    ["TRUE", /unowned must be true or false/],
    ["", /unowned must be true or false, got ""/],
    ["true&unowned=false", /"unowned" was given more than once/],
  ])("refuses unowned=%s with a 400 naming the parameter and the fix", async (value, message) => {
    const res = await w.get(app, `/v1/environments/dev/packages/shop-api/versions?unowned=${value}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "input" });
    expect(res.body.message).toMatch(message);
    expect(res.body.hint).toMatch(/unowned/);
    expectMatchesOpenApi(versions, 400, res.body);
  });
});
