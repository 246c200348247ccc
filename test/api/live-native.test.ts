import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveDeployment } from "../../src/api/views/live.js";
import { bearer } from "./api-world.js";
import { nativeApiWorld, type NativeApiWorld } from "./native-api-world.js";
import { expectApi } from "./openapi.js";

const path = "/api/v1/deployments/{id}/live";

describe("GET /api/v1/deployments/{id}/live for an ecs-linear service: ECS's deployment, its pause hook, the rules' weights", () => {
  let n: NativeApiWorld;

  const live = async (id: string) => {
    const res = await request(n.app).get(`/api/v1/deployments/${id}/live`).set(bearer(n.w.keys.reader));
    expect(res.status, res.text).toBe(200);
    expectApi("get", path, 200, res.body);
    return res.body as LiveDeployment;
  };

  beforeAll(async () => {
    n = await nativeApiWorld();
  });
  afterAll(() => n.close());

  it("shows where ECS waits, the hook's timeout and action, production 25 % new / 75 % old, test 100 % new, the shifts to come; then the rollback", { timeout: 120_000 }, async () => {
    const second = await n.deploy("1.1.0");
    await n.gate(second.id, "PRE_PRODUCTION_TRAFFIC_SHIFT at 0%");
    // Before the first production shift: every one still to come, testers already on the new revision.
    expect((await live(second.id)).services[0]?.native).toMatchObject({ stepsToCome: [25, 50, 75, 100], production: { newPercent: 0, oldPercent: 100 }, test: { newPercent: 100, oldPercent: 0 } });
    await n.decide(second.id, "approve");
    await n.gate(second.id, "PRE_PRODUCTION_TRAFFIC_SHIFT at 25%");

    const body = await live(second.id);
    expect(body.steps.map((s) => s.state)).toEqual(["done", "waiting"]);
    const [service] = body.services;
    expect(service).toMatchObject({ mode: "ecs-linear", stages: [], taskSets: [] });
    const native = service?.native;
    expect(native).toMatchObject({
      strategy: "LINEAR",
      bakeTimeInMinutes: 0,
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 },
      productionSteps: [25, 50, 75, 100],
      stepsToCome: [50, 75, 100],
      deployment: { status: "IN_PROGRESS", lifecycleStage: "PRE_PRODUCTION_TRAFFIC_SHIFT", current: true, newRevision: expect.stringMatching(/^shop-web:\d+$/), oldRevision: expect.stringMatching(/^shop-web:\d+$/) },
      production: { newTargetGroup: "shop-dev-green", oldTargetGroup: "shop-dev-blue", newPercent: 25, oldPercent: 75 },
      test: { newTargetGroup: "shop-dev-green", oldTargetGroup: "shop-dev-blue", newPercent: 100, oldPercent: 0, isDefault: false },
    });
    const hooks = native?.deployment?.hooks ?? [];
    expect(hooks).toEqual([{ hookId: expect.stringMatching(/^ecs-pause-/), status: "AWAITING_ACTION", targetType: "PAUSE", expiresAt: expect.any(String), timeoutAction: "ROLLBACK" }]);
    const minutesLeft = (Date.parse(hooks[0]?.expiresAt ?? "") - Date.parse(body.readAt)) / 60_000;
    expect(minutesLeft).toBeGreaterThan(0);
    expect(minutesLeft).toBeLessThanOrEqual(60);
    // The test rule is not a production route: the routing lists the production rule alone, at the same weights.
    expect(body.routing.map((r) => r.targets.map((t) => [t.targetGroup, t.percent]).sort())).toEqual([
      [["shop-dev-blue", 75], ["shop-dev-green", 25]],
    ]);

    // An abort at the gate: ECS rolls back, production all on the old revision, nothing more to come.
    const ended = n.w.settled.at(-1);
    await n.decide(second.id, "abort");
    expect((await ended)?.status).toBe("rolled-back");
    const after = await live(second.id);
    expect(after.services[0]?.native).toMatchObject({
      stepsToCome: [],
      deployment: { status: "ROLLBACK_SUCCESSFUL", current: true, rollback: expect.any(Object) },
      production: { newPercent: 0, oldPercent: 100 },
    });
  });
});
