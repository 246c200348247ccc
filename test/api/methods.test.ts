import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeedApp } from "../../feed/app.js";
import { EcsTaskDefinitions } from "../../src/aws/task-definitions.js";
import { bearer, startApiWorld, type ApiWorld } from "./api-world.js";
import { expectApi } from "./openapi.js";

/**
 * A path the OpenAPI documents describe, asked with a method they do not list, is a 405 whose Allow header lists
 * the methods they do — the API's, the mounted feed's and the standalone feed's alike; anything else is a 404.
 */
describe("methods a path does not answer", () => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await startApiWorld({ gateIn: [] });
  });
  afterAll(() => w.close());

  it("answers 405 with Allow on the API's paths, after the key is checked", async () => {
    const cases: [string, string, string][] = [
      ["delete", "/api/v1/releases", "GET, HEAD, POST"],
      ["put", "/api/v1/releases/1.0.0", "GET, HEAD"],
      ["patch", "/api/v1/deployments/some-id", "GET, HEAD"],
      ["get", "/api/v1/deployments/some-id/approve", "POST"],
      ["trace", "/api/v1/status", "GET, HEAD"],
      ["trace", "/", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await request(w.app)[method as "get"](path).set(bearer(w.keys.reader));
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow, `${method} ${path}`).toBe(allow);
      expect(res.body).toMatchObject({ error: "method-not-allowed", message: `${method.toUpperCase()} is not an operation of ${path}.` });
      expectApi("get", "/api/v1/status", 401, res.body); // the one error body every answer shares
    }
    // Without a key nothing is said about the API's paths: the key comes first.
    expect((await request(w.app).delete("/api/v1/releases")).status).toBe(401);
    // OPTIONS is answered with the same list; a path nobody describes is still not found.
    const options = await request(w.app).options("/api/v1/releases").set(bearer(w.keys.reader));
    expect(options.headers.allow).toBe("GET, HEAD, POST");
    expect((await request(w.app).delete("/api/v1/nothing-here").set(bearer(w.keys.reader))).status).toBe(404);
  });

  it("answers 405 with Allow on the feed's paths, mounted and standalone", async () => {
    const mounted = await request(w.app).post("/feed/v1/environments").set(bearer(w.keys.reader));
    expect(mounted.status).toBe(405);
    expect(mounted.headers.allow).toBe("GET, HEAD");
    const standalone = createFeedApp({ sources: new Map([["dev", new EcsTaskDefinitions(w.h.clients.ecs)]]), auth: { kind: "open" }, log: () => undefined });
    const res = await request(standalone).delete("/v1/environments/dev/packages/shop-web/versions/1");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(res.body).toMatchObject({ error: "method-not-allowed" });
    expect((await request(standalone).trace("/v1/nowhere")).status).toBe(404);
  });
});
