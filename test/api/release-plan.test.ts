import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/api/keys.js";
import type { Store } from "../../src/engine/store.js";
import type { Release } from "../../src/releases/release.js";
import type { ReleasePlan } from "../../src/releases/release-plan.js";
import { ProjectStores } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { bearer, scopes } from "./api-world.js";
import { expectApi } from "./openapi.js";
import { startPackageWorld } from "./package-world.js";

/**
 * GET /release-plan and POST /releases with packages: a service step taking shop-web from the feed, its revisions
 * registered outside slipway (and one that dev owns), chosen in dev as `slipway release plan` and
 * `release create --package` choose them.
 */
describe("the release plan and releases with packages, through the API", () => {
  let h: SimHarness;
  let app: Express;
  let store: Store;
  const stores = new ProjectStores();
  const keys = { admin: "", reader: "", releaser: "", deployer: "" };
  const arn = (revision: number) => `arn:aws:ecs:${h.region}:000000000000:task-definition/shop-web:${revision}`;
  const plan = (query: string, key = keys.releaser) => request(app).get(`/api/v1/release-plan${query}`).set(bearer(key));

  beforeAll(async () => {
    const api = await startPackageWorld(stores);
    ({ h, store, app } = api);
    keys.admin = api.admin;
    keys.reader = api.reader;
    keys.releaser = (await createApiKey(store, { name: "releaser", scopes: scopes.releaser }, "cli:test")).secret;
    keys.deployer = (await createApiKey(store, { name: "deployer", scopes: { read: false, createReleases: false, deploy: ["dev"], approve: [] } }, "cli:test")).secret;
  });
  afterAll(async () => {
    await stores.closeAll();
    await h?.close();
  });

  it("tells a key that may create releases the project's channels, the default marked, and a key that may only deploy none", async () => {
    const releaser = await request(app).get("/api/v1/project").set(bearer(keys.releaser));
    expect(releaser.status).toBe(200);
    expectApi("get", "/api/v1/project", 200, releaser.body);
    expect(releaser.body.channels).toEqual([
      { name: "stable", default: true },
      { name: "narrow", default: false },
    ]);
    expect((await request(app).get("/api/v1/project").set(bearer(keys.reader))).body.channels).toHaveLength(2);
    const deployer = await request(app).get("/api/v1/project").set(bearer(keys.deployer));
    expect(deployer.status).toBe(200);
    expectApi("get", "/api/v1/project", 200, deployer.body);
    expect(deployer.body).not.toHaveProperty("channels");
  });

  it("answers what a release would choose in dev: the newest revision registered outside slipway, never dev's own", async () => {
    const res = await plan("");
    expect(res.status, res.text).toBe(200);
    expectApi("get", "/api/v1/release-plan", 200, res.body);
    const answer = res.body as ReleasePlan;
    expect(answer).toMatchObject({ channel: "stable", environment: "dev" });
    expect(answer.packages).toEqual([
      {
        step: "web service",
        family: "shop-web",
        chosenBy: "the step's version newest",
        chosen: 5,
        candidates: [
          { revision: 5, arn: arn(5) },
          { revision: 3, arn: arn(3) },
          { revision: 2, arn: arn(2) },
          { revision: 1, arn: arn(1) },
        ],
      },
    ]);
    expect(answer.images).toEqual([{ step: "worker task definition", images: [expect.objectContaining({ container: "worker", repository: "shop/web", tag: "1.2.0", digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as unknown })] }]);
  });

  it("narrows the candidates by the channel's revisions rule, and takes a revision the channel allows when package= names it", async () => {
    const narrow = await plan("?channel=narrow");
    expect(narrow.status, narrow.text).toBe(200);
    expectApi("get", "/api/v1/release-plan", 200, narrow.body);
    expect(narrow.body.channel).toBe("narrow");
    expect(narrow.body.packages[0]).toMatchObject({ chosen: 5, chosenBy: 'the step\'s version newest and channel "narrow"\'s "[2,10)"' });
    expect((narrow.body as ReleasePlan).packages[0]?.candidates.map((c) => c.revision)).toEqual([5, 3, 2]);

    const named = await plan("?channel=narrow&package=shop-web=2");
    expect(named.status, named.text).toBe(200);
    expect(named.body.packages).toEqual([{ step: "web service", family: "shop-web", chosenBy: "--package shop-web=2", chosen: 2, candidates: [{ revision: 2, arn: arn(2) }] }]);

    const outside = await plan("?channel=narrow&package=shop-web=1");
    expect(outside.status).toBe(400);
    expectApi("get", "/api/v1/release-plan", 400, outside.body);
    expect(outside.body.message).toBe('--package shop-web=1: channel "narrow" allows revisions "[2,10)" of shop-web, and 1 is not one.');
    const tests = await plan("?package=shop-web=4");
    expect(tests.status).toBe(400);
    expect(tests.body.message).toContain("shop-web:4 belongs to the dev environment");
  });

  it("refuses a key without createReleases with 403, a bad package= with 400, and an unknown channel with 404", async () => {
    const reader = await plan("", keys.reader);
    expect(reader.status).toBe(403);
    expectApi("get", "/api/v1/release-plan", 403, reader.body);
    expect(reader.body).toMatchObject({ error: "forbidden", scope: "createReleases", message: expect.stringContaining("it lacks the createReleases scope") as unknown });

    for (const bad of ["shop-web", "shop-web=0", "shop-web=two", "=3"]) {
      const res = await plan(`?package=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expectApi("get", "/api/v1/release-plan", 400, res.body);
      expect(res.body).toMatchObject({ error: "input", message: `The query parameter package holds "${bad}", which is not one.`, hint: expect.stringContaining('"shop-web=42"') as unknown });
    }
    const unknownFamily = await plan("?package=shop-api=3");
    expect(unknownFamily.status).toBe(404);
    expect(unknownFamily.body.message).toContain('names the family "shop-api", which no service step of the process takes as its package');

    const channel = await plan("?channel=nightly");
    expect(channel.status).toBe(404);
    expectApi("get", "/api/v1/release-plan", 404, channel.body);
    expect(channel.body).toMatchObject({ error: "not-found", message: 'There is no channel "nightly" in this project.', hint: "The channels are: stable, narrow." });
  });

  it("creates a release with the package revision packages names, kept in its snapshot, and one by the rules without it", async () => {
    const res = await request(app)
      .post("/api/v1/releases")
      .set(bearer(keys.releaser))
      .send({ version: "1.0.0", channel: "narrow", packages: ["shop-web=3"] });
    expect(res.status, res.text).toBe(201);
    expectApi("post", "/api/v1/releases", 201, res.body);
    const release = res.body as Release;
    expect(release).toMatchObject({ version: "1.0.0", channel: "narrow", createdBy: "releaser" });
    const service = release.snapshot.steps.find((s) => s.name === "web service");
    expect(service?.uses === "service" && service.package).toMatchObject({ family: "shop-web", revision: 3, arn: arn(3), chosenIn: "dev", chosenBy: "--package shop-web=3" });

    const stored = await request(app).get("/api/v1/releases/1.0.0").set(bearer(keys.reader));
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(res.body);
    expect((await store.releases.get("1.0.0"))?.snapshot.steps.find((s) => s.name === "web service")).toMatchObject({ package: { revision: 3 } });

    const byRules = await request(app).post("/api/v1/releases").set(bearer(keys.releaser)).send({ version: "1.1.0" });
    expect(byRules.status, byRules.text).toBe(201);
    expect((byRules.body as Release).snapshot.steps.find((s) => s.name === "web service")).toMatchObject({ package: { revision: 5, chosenBy: "the step's version newest" } });
    const list = await request(app).get("/api/v1/releases").set(bearer(keys.reader));
    expect(list.body.items.map((r: { version: string; packages: string[] }) => [r.version, r.packages])).toEqual([
      ["1.1.0", ["shop-web:5"]],
      ["1.0.0", ["shop-web:3"]],
    ]);

    const refused = await request(app)
      .post("/api/v1/releases")
      .set(bearer(keys.releaser))
      .send({ version: "1.2.0", channel: "narrow", packages: ["shop-web=1"] });
    expect(refused.status).toBe(400);
    expectApi("post", "/api/v1/releases", 400, refused.body);
    expect(await store.releases.get("1.2.0")).toBeUndefined();
  });
});
