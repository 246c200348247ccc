import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import { bearer, startApiWorld, type ApiWorld } from "./api-world.js";

/** What a page on another site makes a developer's browser send: a "simple" request, no key, its own Origin. */
const fromAttacker = (app: Express, path: string) =>
  request(app).post(path).set("Host", "127.0.0.1:4600").set("Origin", "http://attacker.example").set("Content-Type", "text/plain").send('{"version":"6.6.6"}');

describe("a browser on another site, against slipway serve", () => {
  let w: ApiWorld;
  let open: Express;
  beforeAll(async () => {
    w = await startApiWorld();
    open = w.appWith({ auth: { open: true, login: "dev" } });
  });
  afterAll(() => w.close());

  it("cannot write through --open: a cross-site approve or release is refused before any route, and nothing changes", async () => {
    for (const path of ["/api/v1/deployments/release-prod-1.0.0-x/approve", "/api/v1/deployments/release-prod-1.0.0-x/abort", "/api/v1/releases", "/api/v1/deployments"]) {
      const res = await fromAttacker(open, path);
      expect(res.status, path).toBe(403);
      expect(res.body).toMatchObject({ error: "forbidden", message: expect.stringContaining("(Origin: http://attacker.example)") });
    }
    const sec = await request(open).post("/api/v1/releases").set("Host", "localhost:4600").set("Sec-Fetch-Site", "cross-site").send({ version: "6.6.6" });
    expect(sec.status).toBe(403);
    expect(await w.store.releases.list()).toEqual([]);
  });

  it("cannot reach an --open server through a name of its own (DNS rebinding): only loopback names are answered", async () => {
    const rebound = await request(open).get("/api/v1/status").set("Host", "attacker.example:4600");
    expect(rebound.status).toBe(403);
    expect(rebound.body.hint).toContain("http://127.0.0.1:<port>/");
    for (const host of ["127.0.0.1:4600", "localhost:4600", "[::1]:4600"]) expect((await request(open).get("/api/v1/status").set("Host", host)).status, host).toBe(200);
  });

  it("lets the server's own pages and tools without a browser write", async () => {
    const samePage = await request(open).post("/api/v1/releases").set("Host", "127.0.0.1:4600").set("Origin", "http://127.0.0.1:4600").set("Sec-Fetch-Site", "same-origin").send({ version: "1.0.0" });
    expect(samePage.status, samePage.text).toBe(201);
    const tool = await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).send({ version: "1.0.1" });
    expect(tool.status, tool.text).toBe(201);
  });

  it("refuses a cross-site write with a key too, but answers any Host when keys are required (behind a proxy, say)", async () => {
    const keyed = await request(w.app).post("/api/v1/releases").set(bearer(w.keys.releaser)).set("Origin", "http://attacker.example").send({ version: "1.0.2" });
    expect(keyed.status).toBe(403);
    expect((await request(w.app).get("/api/v1/status").set(bearer(w.keys.reader)).set("Host", "slipway.internal.example")).status).toBe(200);
  });
});
