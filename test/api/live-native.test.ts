import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/load.js";
import { loadProjectProcess } from "../../src/config/load-process.js";
import type { LiveDeployment } from "../../src/api/views/live.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { bearer, eventually, startApiWorld, type ApiWorld } from "./api-world.js";
import { expectApi } from "./openapi.js";

/** ECS's own linear deployment, 25 % a step, with a person's go-ahead before every production shift. */
const linearStep = [
  "service: shop-web",
  "mode: ecs-linear",
  "desiredCount: 2",
  "loadBalancer: { containerName: web, containerPort: 8080 }",
  "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }",
  "waitTimeoutSeconds: 60",
  "deployment: { bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 } }",
  "verification: { header: { name: X-Verify, values: [tester-1] } }",
  "approvals:",
  "  - { at: PRE_PRODUCTION_TRAFFIC_SHIFT, timeoutMinutes: 60, onTimeout: ROLLBACK }",
  "",
].join("\n");

const path = "/api/v1/deployments/{id}/live";

describe("GET /api/v1/deployments/{id}/live for an ecs-linear service: ECS's deployment, its pause hook, the rules' weights", () => {
  let w: ApiWorld;
  let app: Express;

  const live = async (id: string) => {
    const res = await request(app).get(`/api/v1/deployments/${id}/live`).set(bearer(w.keys.reader));
    expect(res.status, res.text).toBe(200);
    expectApi("get", path, 200, res.body);
    return res.body as LiveDeployment;
  };
  const deploy = async (release: string) => {
    const res = await request(app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release, environment: "dev" });
    expect(res.status, res.text).toBe(202);
    return res.body as DeploymentRun;
  };
  const gate = (id: string) => eventually(`a gate of ${id}`, async () => (await w.store.approvals.list({ open: true })).find((g) => g.deploymentId === id));
  const decide = async (id: string, verdict: "approve" | "abort") => {
    const res = await request(app).post(`/api/v1/deployments/${id}/${verdict}`).set(bearer(w.keys.admin)).send({});
    expect(res.status, res.text).toBe(200);
  };

  beforeAll(async () => {
    w = await startApiWorld({ gateIn: [] });
    writeFileSync(join(w.files.dir, "steps", "web.service.yaml"), linearStep);
    const loaded = loadProject(w.files.projectFile);
    app = w.appWith({ project: { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, process: loadProjectProcess(w.files.projectFile, loaded) } });
    for (const [version, images] of [["1.0.0", []], ["1.1.0", ["web=1.1.0"]]] as const) {
      const res = await request(app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version, images });
      expect(res.status, res.text).toBe(201);
    }
  });
  afterAll(() => w.close());

  it("shows where ECS waits, the hook's timeout and action, production 25 % new / 75 % old, test 100 % new, the shifts to come; then the rollback", { timeout: 120_000 }, async () => {
    // 1.0.0 creates the service: its four production shifts are approved as they come.
    const first = await deploy("1.0.0");
    const done = w.settled.at(-1);
    for (let i = 0; i < 4; i += 1) await decide((await gate(first.id)).deploymentId, "approve");
    expect((await done)?.status).toBe("succeeded");

    const second = await deploy("1.1.0");
    // Before any shift: everything still to come.
    expect((await gate(second.id)).stage).toBe("PRE_PRODUCTION_TRAFFIC_SHIFT at 0%");
    await decide(second.id, "approve");
    await eventually("the second shift's gate", async () => ((await w.store.approvals.list({ open: true })).some((g) => g.stage === "PRE_PRODUCTION_TRAFFIC_SHIFT at 25%") ? true : undefined));

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
    const ended = w.settled.at(-1);
    await decide(second.id, "abort");
    expect((await ended)?.status).toBe("rolled-back");
    const after = await live(second.id);
    expect(after.services[0]?.native).toMatchObject({
      stepsToCome: [],
      deployment: { status: "ROLLBACK_SUCCESSFUL", current: true, rollback: expect.any(Object) },
      production: { newPercent: 0, oldPercent: 100 },
    });
  });
});
