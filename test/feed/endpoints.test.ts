import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import { container, startFeedWorld, type FeedWorld } from "./feed-world.js";
import { expectMatchesOpenApi } from "./openapi-check.js";

const digest = `sha256:${"c0ffee".repeat(10)}abcd`;
const packages = "/v1/environments/{environment}/packages";
const onePackage = `${packages}/{family}`;
const versions = `${onePackage}/versions`;
const oneVersion = `${versions}/{version}`;

describe("feed endpoints against the simulator", () => {
  let w: FeedWorld;
  let app: Express;
  beforeAll(async () => {
    w = await startFeedWorld();
    for (let i = 1; i <= 24; i++) await w.dev.register({ family: "shop-web", containerDefinitions: [container(`shop/web:1.0.${i}`)] });
    await w.dev.register({
      family: "shop-web",
      containerDefinitions: [container(`123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.0.25@${digest}`), container("datadog/agent:7", "sidecar")],
      tags: [{ key: "slipway:release", value: "1.0.25" }, { key: "team", value: "shop" }],
    });
    await w.dev.deregister("shop-web:3");
    await w.dev.deregister("shop-web:7");
    for (let i = 1; i <= 3; i++) await w.dev.register({ family: "shop-worker", containerDefinitions: [container(`shop/worker:${i}`)] });
    await w.dev.register({ family: "retired", containerDefinitions: [container("old:1")] });
    await w.dev.deregister("retired:1");
    for (let i = 1; i <= 2; i++) await w.prod.register({ family: "shop-web", containerDefinitions: [container(`shop/web:prod-${i}`)] });
    app = w.app();
  });
  afterAll(() => w.close());

  const ok = (path: string, template: string) => w.ok(app, path, template);

  it("lists the environments", async () => {
    const res = await ok("/v1/environments", "/v1/environments");
    expect(res.body).toEqual({ items: [{ name: "dev" }, { name: "prod" }] });
  });

  it("lists packages with their newest version and its images", async () => {
    const { body } = await ok("/v1/environments/dev/packages", packages);
    expect(body).toMatchObject({ environment: "dev", stale: false, paging: { page: 1, pageSize: 20, totalItems: 3, totalPages: 1 } });
    expect(body.items.map((p: { name: string; latestVersion: string | null }) => [p.name, p.latestVersion])).toEqual([
      ["retired", null],
      ["shop-web", "25"],
      ["shop-worker", "3"],
    ]);
    expect(body.items[1].images).toEqual([
      { container: "web", image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.0.25@${digest}`, registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com", repository: "shop/web", tag: "1.0.25", digest },
      { container: "sidecar", image: "datadog/agent:7", repository: "datadog/agent", tag: "7" },
    ]);
    expect(body.items[1].latestRegisteredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("pages and searches packages", async () => {
    const first = await ok("/v1/environments/dev/packages?pageSize=2", packages);
    expect(first.body.items.map((p: { name: string }) => p.name)).toEqual(["retired", "shop-web"]);
    expect(first.body.paging).toEqual({ page: 1, pageSize: 2, totalItems: 3, totalPages: 2 });
    const second = await ok("/v1/environments/dev/packages?pageSize=2&page=2", packages);
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(["shop-worker"]);
    const beyond = await ok("/v1/environments/dev/packages?pageSize=2&page=3", packages);
    expect(beyond.body.items).toEqual([]);
    const search = await ok("/v1/environments/dev/packages?q=WORK", packages);
    expect(search.body.items.map((p: { name: string }) => p.name)).toEqual(["shop-worker"]);
  });

  it("answers one package", async () => {
    const { body } = await ok("/v1/environments/dev/packages/shop-worker", onePackage);
    expect(body).toMatchObject({ environment: "dev", name: "shop-worker", latestVersion: "3", stale: false });
  });

  it("lists a package's ACTIVE versions newest first", async () => {
    const { body } = await ok("/v1/environments/dev/packages/shop-web/versions", versions);
    expect(body).toMatchObject({ environment: "dev", package: "shop-web", status: "ACTIVE", range: null, stale: false, paging: { page: 1, pageSize: 50, totalItems: 23, totalPages: 1 } });
    expect(body.items[0]).toEqual({ version: "25", revision: 25, arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:25", status: "ACTIVE", environment: "dev" });
    expect(body.items.map((v: { version: string }) => v.version)).not.toContain("3");
  });

  it.each([
    [">=12 <20", ["19", "18", "17", "16", "15", "14", "13", "12"]],
    ["[5,8]", ["8", "6", "5"]],
    ["2 || 3 || 24", ["24", "2"]],
  ])("filters versions by the range %s", async (range, expected) => {
    const { body } = await ok(`/v1/environments/dev/packages/shop-web/versions?range=${encodeURIComponent(range)}`, versions);
    expect(body.items.map((v: { version: string }) => v.version)).toEqual(expected);
    expect(body.range).toBeTypeOf("string");
  });

  it("lists only the versions a channel allows, within the range, and says which rule it applied", async () => {
    const channels = [
      { name: "stable", isDefault: true, imageTags: {}, revisions: { "shop-web": ">=20" } },
      { name: "edge", isDefault: false, imageTags: {} },
    ];
    const withChannels = w.app({ channels });
    const stable = await w.ok(withChannels, "/v1/environments/dev/packages/shop-web/versions?channel=stable", versions);
    expect(stable.body.items.map((v: { version: string }) => v.version)).toEqual(["25", "24", "23", "22", "21", "20"]);
    expect(stable.body.channel).toEqual({ name: "stable", range: ">=20.0.0" });
    expect(stable.body.paging.totalItems).toBe(6);
    const inRange = await w.ok(withChannels, `/v1/environments/dev/packages/shop-web/versions?channel=stable&range=${encodeURIComponent("<23")}`, versions);
    expect(inRange.body.items.map((v: { version: string }) => v.version)).toEqual(["22", "21", "20"]);
    // A channel with no rule for the package allows every version; so does one with a rule for another package.
    const edge = await w.ok(withChannels, "/v1/environments/dev/packages/shop-web/versions?channel=edge", versions);
    expect(edge.body).toMatchObject({ channel: { name: "edge", range: null }, paging: { totalItems: 23 } });
    const worker = await w.ok(withChannels, "/v1/environments/dev/packages/shop-worker/versions?channel=stable", versions);
    expect(worker.body.items.map((v: { version: string }) => v.version)).toEqual(["3", "2", "1"]);
    // Without ?channel= nothing changes, and the answer says no channel was applied.
    expect((await w.ok(withChannels, "/v1/environments/dev/packages/shop-web/versions", versions)).body).toMatchObject({ channel: null, paging: { totalItems: 23 } });
  });

  it("pages versions", async () => {
    const { body } = await ok("/v1/environments/dev/packages/shop-web/versions?pageSize=5&page=2", versions);
    expect(body.items.map((v: { version: string }) => v.version)).toEqual(["20", "19", "18", "17", "16"]);
    expect(body.paging).toEqual({ page: 2, pageSize: 5, totalItems: 23, totalPages: 5 });
  });

  it("lists INACTIVE versions on request", async () => {
    const { body } = await ok("/v1/environments/dev/packages/shop-web/versions?status=inactive", versions);
    expect(body.items).toEqual([
      { version: "7", revision: 7, arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:7", status: "INACTIVE", environment: "dev" },
      { version: "3", revision: 3, arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:3", status: "INACTIVE", environment: "dev" },
    ]);
    const retired = await ok("/v1/environments/dev/packages/retired/versions", versions);
    expect(retired.body.items).toEqual([]);
  });

  it("answers one version in full: task definition, images, digests, tags, registration time", async () => {
    const { body } = await ok("/v1/environments/dev/packages/shop-web/versions/25", oneVersion);
    expect(body).toMatchObject({ environment: "dev", package: "shop-web", version: "25", revision: 25, status: "ACTIVE", deregisteredAt: null, slipway: { release: "1.0.25", environment: "dev" }, stale: false });
    expect(body.images[0]).toMatchObject({ repository: "shop/web", tag: "1.0.25", digest });
    expect(body.tags).toEqual([
      { key: "slipway:release", value: "1.0.25" },
      { key: "team", value: "shop" },
      { key: "slipway:environment", value: "dev" },
    ]);
    expect(body.registeredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.taskDefinition).toMatchObject({ family: "shop-web", revision: 25, containerDefinitions: [{ name: "web" }, { name: "sidecar" }] });
    const inactive = await ok("/v1/environments/dev/packages/shop-web/versions/3", oneVersion);
    expect(inactive.body).toMatchObject({ status: "INACTIVE", slipway: { environment: "dev" } });
    expect(inactive.body.deregisteredAt).toMatch(/^\d{4}-/);
  });

  it("keeps environments apart: each answers from its own target", async () => {
    const { body } = await ok("/v1/environments/prod/packages/shop-web/versions", versions);
    expect(body.items.map((v: { arn: string }) => v.arn)).toEqual(["arn:aws:ecs:eu-west-1:000000000000:task-definition/shop-web:2", "arn:aws:ecs:eu-west-1:000000000000:task-definition/shop-web:1"]);
    const prodPackages = await ok("/v1/environments/prod/packages", packages);
    expect(prodPackages.body.items.map((p: { name: string }) => p.name)).toEqual(["shop-web"]);
    expect((await w.get(app, "/v1/environments/prod/packages/shop-worker/versions")).status).toBe(404);
  });

  it("answers 304 to a request carrying the current entity tag, strong or weak", async () => {
    const path = "/v1/environments/dev/packages/shop-worker/versions";
    const first = await w.get(app, path);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers["cache-control"]).toBe("no-cache");
    const again = await w.get(app, path).set("if-none-match", etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.etag).toBe(etag);
    expect((await w.get(app, path).set("if-none-match", `W/${etag}`)).status).toBe(304);
    expect((await w.get(app, `${path}?pageSize=1`).set("if-none-match", etag)).status).toBe(200);
    const detail = await w.get(app, `${path}/1`);
    expect((await w.get(app, `${path}/1`).set("if-none-match", detail.headers.etag as string)).status).toBe(304);
  });

  it.each([
    ["/v1/environments/qa/packages", 404, "not-found", /no environment "qa"/, packages],
    ["/v1/environments/dev/packages/nope/versions", 404, "not-found", /no task definition family "nope"/, versions],
    ["/v1/environments/dev/packages/nope", 404, "not-found", /nope/, onePackage],
    ["/v1/environments/dev/packages/shop-web/versions/99", 404, "not-found", /no version 99/, oneVersion],
    ["/v1/environments/dev/packages/bad%20name/versions", 400, "input", /not a task definition family name/, versions],
    ["/v1/environments/dev/packages/shop-web/versions/latest", 400, "input", /not a version/, oneVersion],
    ["/v1/environments/dev/packages/shop-web/versions?range=banana", 400, "input", /range/, versions],
    ["/v1/environments/dev/packages/shop-web/versions?channel=nightly", 404, "not-found", /channel "nightly" is not a channel of the project/, versions],
    ["/v1/environments/dev/packages/shop-web/versions?status=ALL", 400, "input", /status/, versions],
    ["/v1/environments/dev/packages/shop-web/versions?page=0", 400, "input", /page/, versions],
    ["/v1/environments/dev/packages/shop-web/versions?pageSize=1000", 400, "input", /pageSize/, versions],
    ["/v1/environments/dev/packages/shop-web/versions?all=yes", 400, "input", /all must be true or false/, versions],
    ["/v1/environments/dev/packages/shop-web/versions?unowned=yes", 400, "input", /unowned must be true or false/, versions],
    ["/v1/environments/dev/packages/shop-web/versions/25?all=1", 400, "input", /all/, oneVersion],
    ["/v1/environments/dev/packages?page=1&page=2", 400, "input", /more than once/, packages],
    ["/v1/environments/dev/packages?pageSize=", 400, "input", /pageSize/, packages],
  ])("%s → %i %s", async (path, status, error, message, template) => {
    const res = await w.get(app, path);
    expect(res.status).toBe(status);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ error });
    expect(res.body.message).toMatch(message);
    expect(res.body.hint).not.toBe("");
    expectMatchesOpenApi(template, status, res.body);
  });

  it("answers JSON errors for paths the feed does not serve or cannot decode", async () => {
    const unknown = await w.get(app, "/v2/anything");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: "not-found" });
    const undecodable = await w.get(app, "/v1/environments/dev/packages/%E0%A4%A/versions");
    expect(undecodable.status).toBe(400);
    expect(undecodable.body).toMatchObject({ error: "input" });
  });

  it("serves its OpenAPI document", async () => {
    const res = await w.get(app, "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toContain(oneVersion);
  });
});
