import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Release } from "../../src/releases/release.js";
import { bearer, secretEnv, secretValue, startApiWorld, type ApiWorld } from "./api-world.js";
import { expectApi } from "./openapi.js";

describe("releases through the API", () => {
  let w: ApiWorld;
  /** Every answer this file received, checked at the end for secrets. */
  const answers: string[] = [];
  const keep = <T extends { text: string }>(res: T): T => {
    answers.push(res.text);
    return res;
  };
  beforeAll(async () => {
    w = await startApiWorld();
  });
  afterAll(() => w.close());

  it("creates a release with every image pinned, showing secret variables only as where they are read from", async () => {
    const res = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "1.0.0", notes: "first" }));
    expect(res.status, res.text).toBe(201);
    expectApi("post", "/api/v1/releases", 201, res.body);
    expect(res.headers.location).toBe("/api/v1/releases/1.0.0");
    const release = res.body as Release;
    expect(release).toMatchObject({ project: "shop", version: "1.0.0", channel: "default", createdBy: "releaser", notes: "first" });
    const step = release.snapshot.steps.find((s) => s.uses === "task-definition");
    expect(step?.uses === "task-definition" && step.images.map((i) => [i.container, i.tag])).toEqual([["web", "1.2.0"]]);
    expect(release.snapshot.variables.default).toEqual({ LOG_LEVEL: "info", DB_PASSWORD: { secret: true, fromEnv: secretEnv } });

    const one = keep(await request(w.app).get("/api/v1/releases/1.0.0").set(bearer(w.keys.reader)));
    expect(one.status).toBe(200);
    expectApi("get", "/api/v1/releases/{version}", 200, one.body);
    expect(one.body).toEqual(res.body);

    const list = keep(await request(w.app).get("/api/v1/releases").set(bearer(w.keys.reader)));
    expect(list.status).toBe(200);
    expectApi("get", "/api/v1/releases", 200, list.body);
    expect(list.body.items).toEqual([{ version: "1.0.0", channel: "default", createdAt: release.createdAt, createdBy: "releaser", notes: "first", images: [expect.stringMatching(/^web shop\/web:1\.2\.0@sha256:[0-9a-f]{64}$/)], packages: [] }]);

    const audit = await w.store.audit.list({ limit: 100 });
    expect(audit.find((e) => e.action === "release.create")).toMatchObject({ actor: "releaser", subject: "1.0.0" });
  });

  it("answers a release that exists already with 409, and an --image choice like the CLI's", async () => {
    const again = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "1.0.0" }));
    expect(again.status).toBe(409);
    expectApi("post", "/api/v1/releases", 409, again.body);
    expect(again.body).toEqual({ error: "conflict", message: "Release 1.0.0 already exists, and a release never changes once created.", hint: expect.stringContaining("Create a new version") });

    const chosen = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "1.1.0", images: ["web=1.1.0"] }));
    expect(chosen.status, chosen.text).toBe(201);
    expect((chosen.body as Release).snapshot.steps[0]).toMatchObject({ images: [{ container: "web", tag: "1.1.0" }] });

    // Chosen by digest: no tag, in the answer as the document allows and in the listing.
    const digest = ((chosen.body as Release).snapshot.steps[0] as { images: { digest: string }[] }).images[0]?.digest ?? "";
    const pinned = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "1.1.1", images: [`web@${digest}`] }));
    expect(pinned.status, pinned.text).toBe(201);
    expectApi("post", "/api/v1/releases", 201, pinned.body);
    const listed = keep(await request(w.app).get("/api/v1/releases").set(bearer(w.keys.reader)));
    expect((listed.body.items as { version: string; images: string[] }[]).find((r) => r.version === "1.1.1")?.images).toEqual([`web shop/web@${digest}`]);
  });

  it("answers a bad request body with 400 listing every problem, and bad versions and channels with what is allowed", async () => {
    const bad = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: 5, images: "web=1.0.0", colour: "blue" }));
    expect(bad.status).toBe(400);
    expectApi("post", "/api/v1/releases", 400, bad.body);
    expect(bad.body.message).toBe("The request body has 3 problems.");
    expect((bad.body.problems as { path: string; message: string }[]).map((p) => [p.path, p.message])).toEqual([
      ["/colour", '"colour" is not a field of this request.'],
      ["/version", '"version" must be a non-empty string.'],
      ["/images", '"images" must be an array of strings.'],
    ]);

    const notJson = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).set("content-type", "application/json").send("{version:"));
    expect(notJson.status).toBe(400);
    expectApi("post", "/api/v1/releases", 400, notJson.body);
    expect(notJson.body.error).toBe("input");

    const semver = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "v2" }));
    expect(semver.status).toBe(400);
    expect(semver.body.message).toBe('"v2" is not a release version.');

    const channel = keep(await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "2.0.0", channel: "nightly" }));
    expect(channel.status).toBe(404);
    expectApi("post", "/api/v1/releases", 404, channel.body);
    expect(channel.body.message).toBe('There is no channel "nightly" in this project.');
    expect(await w.store.releases.get("2.0.0")).toBeUndefined();
  });

  it("answers an unknown release or path with 404 JSON", async () => {
    const missing = keep(await request(w.app).get("/api/v1/releases/9.9.9").set(bearer(w.keys.reader)));
    expect(missing.status).toBe(404);
    expectApi("get", "/api/v1/releases/{version}", 404, missing.body);
    expect(missing.body.message).toBe("There is no release 9.9.9.");
    const nowhere = keep(await request(w.app).get("/api/v1/nothing-here").set(bearer(w.keys.reader)));
    expect(nowhere.status).toBe(404);
    expect(nowhere.body).toMatchObject({ error: "not-found", message: "Nothing is served at GET /api/v1/nothing-here." });
  });

  it("serves the task definition feed at /feed to keys with the read scope", async () => {
    const feed = keep(await request(w.app).get("/feed/v1/environments").set(bearer(w.keys.reader)));
    expect(feed.status).toBe(200);
    expect(feed.body).toEqual({ items: [{ name: "dev" }, { name: "test" }, { name: "prod" }] });
    expect((await request(w.app).get("/feed/v1/environments")).status).toBe(401);
    const refused = keep(await request(w.app).get("/feed/v1/environments").set(bearer(w.keys.releaser)));
    expect(refused.status).toBe(403);
    expect(refused.body.scope).toBe("read");
    expect((await request(w.app).get("/feed/openapi.json")).status).toBe(200);
  });

  it("needs no key when open, acting as open:<login> for the record", async () => {
    const open = w.appWith({ auth: { open: true, login: "alice" } });
    expect((await request(open).get("/api/v1/releases")).status).toBe(200);
    const created = keep(await request(open).post("/api/v1/releases").send({ version: "1.2.0" }));
    expect(created.status, created.text).toBe(201);
    expect(created.body.createdBy).toBe("open:alice");
    expect((await w.store.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: "open:alice", action: "release.create", subject: "1.2.0" });
  });

  it("never answers with a key, a secret value or a stack trace", () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const text of answers) {
      for (const secret of Object.values(w.keys)) expect(text).not.toContain(secret);
      expect(text).not.toContain(secretValue);
      expect(text).not.toMatch(/\n\s+at /);
    }
  });

  it("answers whole JSON whatever the server's secret looks like: values are masked, never the JSON text", async () => {
    const paths = ["/api/v1/releases/1.0.0", "/api/v1/status", "/api/v1/deployments"];
    const baseline = await Promise.all(paths.map(async (path) => (await request(w.app).get(path).set(bearer(w.keys.reader))).body as unknown));
    // The last two are JSON's own text around a release's fields: masking the text would break or change the answer.
    for (const secret of ["12345678", ':"default","', '","channel":"']) {
      const app = w.appWith({ runOptions: { env: { [secretEnv]: secret } } });
      for (const [i, path] of paths.entries()) {
        const res = await request(app).get(path).set(bearer(w.keys.reader));
        expect(res.status, `${secret} ${path}: ${res.text}`).toBe(200);
        expect(res.body, `${secret} ${path}`).toEqual(baseline[i]);
      }
    }
  });

  it("refuses notes the store cannot keep — a NUL character, or more than the one limit the CLI shares — with 400, storing nothing", async () => {
    for (const notes of ["broken\u0000notes", "x".repeat(10_001)]) {
      const res = await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "1.5.0", notes });
      expect(res.status, res.text).toBe(400);
      expectApi("post", "/api/v1/releases", 400, res.body);
    }
    expect((await request(w.app).get("/api/v1/releases/1.5.0").set(bearer(w.keys.reader))).status).toBe(404);
  });

  it("answers a NUL character in a path or a query with 400, not a failure of the store", async () => {
    for (const path of ["/api/v1/releases/1.0.0%00", "/api/v1/deployments/%00", "/api/v1/deployments?environment=%00", "/api/v1/deployments/%00/live"]) {
      const res = await request(w.app).get(path).set(bearer(w.keys.reader));
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      expect(res.body.message).toContain("NUL character");
    }
  });
});
