import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Express } from "express";
import { listenFeed, type RunningFeed } from "../../feed/server.js";
import { container, key, startFeedWorld, type FeedWorld } from "./feed-world.js";
import { expectMatchesOpenApi } from "./openapi-check.js";

const versionsPath = "/v1/environments/dev/packages/shop-web/versions";

describe("the feed under load and faults", () => {
  let w: FeedWorld;
  let app: Express;
  beforeEach(async () => {
    w = await startFeedWorld();
    for (let i = 1; i <= 5; i++) await w.dev.register({ family: "shop-web", containerDefinitions: [container(`shop/web:${i}`)] });
    app = w.app({ freshMs: 30_000 });
    await w.h.control("DELETE", "calls");
  });
  afterEach(() => w.close());

  it("answers 50 concurrent identical requests with one ECS listing (single flight)", async () => {
    const running: RunningFeed = await listenFeed(app, 0, "127.0.0.1");
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${running.url}${versionsPath}`, { headers: { authorization: `Bearer ${key}` } })));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      const bodies = (await Promise.all(answers.map((a) => a.json()))) as { items: unknown[] }[];
      expect(bodies.every((b) => b.items.length === 5)).toBe(true);
    } finally {
      await running.close();
    }
    expect(await w.ecsCalls("ecs:ListTaskDefinitions")).toBe(1);
    expect(await w.ecsCalls("ecs:ListTaskDefinitionFamilies")).toBe(1);
  });

  it("asks ECS again only once the freshness window has passed", async () => {
    const first = await w.get(app, versionsPath);
    expect(first.body.items[0].version).toBe("5");
    await w.dev.register({ family: "shop-web", containerDefinitions: [container("shop/web:6")] });
    w.clock.advance(29_000);
    const cached = await w.get(app, versionsPath).set("if-none-match", first.headers.etag as string);
    expect(cached.status).toBe(304);
    expect(cached.headers.age).toBe("29");
    expect(await w.ecsCalls("ecs:ListTaskDefinitions")).toBe(1);
    w.clock.advance(1_000);
    const fresh = await w.get(app, versionsPath).set("if-none-match", first.headers.etag as string);
    expect(fresh.status).toBe(200);
    expect(fresh.body.items[0].version).toBe("6");
    expect(fresh.headers.etag).not.toBe(first.headers.etag);
    expect(await w.ecsCalls("ecs:ListTaskDefinitions")).toBe(2);
  });

  it("keeps a version's description much longer than a listing: revisions do not change", async () => {
    await w.get(app, `${versionsPath}/2`);
    w.clock.advance(10 * 60_000);
    await w.get(app, `${versionsPath}/2`);
    expect(await w.ecsCalls("ecs:DescribeTaskDefinition")).toBe(1);
  });

  it("serves the last good answer flagged stale while ECS fails, and says so", async () => {
    const good = await w.get(app, versionsPath);
    await w.get(app, "/v1/environments/dev/packages");
    await w.dev.register({ family: "shop-web", containerDefinitions: [container("shop/web:6")] });
    await w.h.control("PUT", "faults", { errorRate: 1, operations: ["ListTaskDefinitions", "ListTaskDefinitionFamilies", "DescribeTaskDefinition"] });
    w.clock.advance(60_000);
    const stale = await w.get(app, versionsPath);
    expect(stale.status).toBe(200);
    expect(stale.headers["x-slipway-stale"]).toBe("true");
    expect(stale.body).toMatchObject({ stale: true, items: good.body.items });
    expect(stale.headers.age).toBe("60");
    expectMatchesOpenApi("/v1/environments/{environment}/packages/{family}/versions", 200, stale.body);
    const packages = await w.get(app, "/v1/environments/dev/packages");
    expect(packages.status).toBe(200);
    expect(packages.body.stale).toBe(true);
    expect(await w.ecsCalls("ecs:ListTaskDefinitions")).toBeGreaterThanOrEqual(2);

    // Nothing earlier to fall back on: ECS's failure is reported as such, in JSON, never as a 500. (The listing
    // described revisions 1 to 5 to learn their owners; 6 was registered after it.)
    const unseen = await w.get(app, `${versionsPath}/6`);
    expect(unseen.status).toBe(502);
    expect(unseen.body).toMatchObject({ error: "aws" });
    expect(unseen.body.message).toMatch(/^DescribeTaskDefinition on shop-web:6 failed: ServerException/);
    expectMatchesOpenApi("/v1/environments/{environment}/packages/{family}/versions/{version}", 502, unseen.body);

    await w.h.control("DELETE", "faults");
    w.clock.advance(2_000);
    const recovered = await w.get(app, versionsPath);
    expect(recovered.body.stale).toBe(false);
    expect(recovered.headers["x-slipway-stale"]).toBeUndefined();
  });

  it("does not retry a failing ECS on every request: after a failure it backs off, serving stale", async () => {
    await w.get(app, versionsPath);
    await w.h.control("PUT", "faults", { errorRate: 1, operations: ["ListTaskDefinitions", "ListTaskDefinitionFamilies"] });
    w.clock.advance(31_000);
    await w.h.control("DELETE", "calls");
    for (let i = 0; i < 20; i++) expect((await w.get(app, versionsPath)).body.stale).toBe(true);
    expect(await w.ecsCalls("ecs:ListTaskDefinitions")).toBeLessThanOrEqual(1);
  });

  it("checks responses against the document for real (a wrong body fails)", () => {
    expect(() => expectMatchesOpenApi("/v1/environments/{environment}/packages/{family}/versions", 200, { items: "none" })).toThrow();
  });
});
