import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ListServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { ConflictError, DeploymentFailedError } from "../../../src/errors.js";
import { deployService } from "../../../steps/service/index.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { createCluster, describeService, imageBehaves, registerWeb } from "../../sim/ecs-fixtures.js";
import { callsSince, context, options, resetCalls, webStep } from "./world.js";

describe("the service step's rolling mode against the simulator", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ speed: 100 });
    await createCluster(h, "shop-dev");
    await registerWeb(h, "shop-web", "shop/web:1.0.0");
    await registerWeb(h, "shop-web", "shop/web:1.1.0");
    await registerWeb(h, "shop-web", "shop/web:2.0.0-broken");
    await imageBehaves(h, "shop/web:2.0.0-broken", "crash");
  });
  afterAll(() => h.close());
  beforeEach(() => resetCalls(h));

  it("creates the service, then updates it to a new revision, showing events until steady; an unchanged re-deploy writes nothing", async () => {
    const step = webStep({ service: "good" });
    const first = options({ override: "shop-web:1" });
    const created = await deployService(step, context(h), first);
    expect(created.plan.actions.map((a) => a.kind)).toEqual(["create-service"]);
    expect(created.output).toMatchObject({ serviceName: "good", changed: true, status: "SUCCESSFUL", taskDefinitionArn: expect.stringMatching(/shop-web:1$/) });
    expect(first.progress.lines).toContain("event (service good) has reached a steady state.");

    const second = options({ override: "shop-web:2", records: first.records });
    const updated = await deployService(step, context(h), second);
    expect(updated.plan.diff[0]).toBe("task definition: shop-web:1 → shop-web:2");
    expect(updated.plan.diff).toContain('-      "image": "shop/web:1.0.0",');
    expect(updated.output).toMatchObject({ status: "SUCCESSFUL", changed: true });
    const lines = second.progress.lines;
    expect(lines.some((l) => /^event \(service good\) has started 2 tasks/.test(l))).toBe(true);
    expect(lines.some((l) => /^status PRIMARY shop-web:2 IN_PROGRESS \d\/2 \| ACTIVE shop-web:1 COMPLETED 2\/2$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^event \(service good\) has reached a steady state\.$|^status PRIMARY shop-web:2 COMPLETED 2\/2$/);
    // Each event is told once, and none from before the deployment started.
    const events = lines.filter((l) => l.startsWith("event "));
    expect(new Set(events.map((e, i) => `${i}:${e}`)).size).toBe(events.length);
    expect(events.filter((e) => e === "event (service good) has reached a steady state.")).toHaveLength(1);
    expect(lines.some((l) => l.includes("shop-web:1") && l.startsWith("event") && l.includes("has started"))).toBe(false);

    const records = await first.records.list({ environment: "dev", cluster: "shop-dev", service: "good" });
    expect(records.map((r) => [r.status, r.sourceTaskDefinition?.split("/").at(-1), r.targetTaskDefinition.split("/").at(-1)])).toEqual([
      ["SUCCESSFUL", "shop-web:1", "shop-web:2"],
      ["SUCCESSFUL", undefined, "shop-web:1"],
    ]);

    await resetCalls(h);
    const again = await deployService(step, context(h), options({ override: "shop-web:2" }));
    expect(again.plan.actions).toEqual([]);
    expect(again.plan.notes).toEqual(["good already runs shop-web:2 × 2 as configured: nothing to change"]);
    expect(again.output).toMatchObject({ changed: false, status: "SUCCESSFUL" });
    const calls = await callsSince(h);
    expect(calls.writes).toEqual({});
    // Whether Application Auto Scaling manages the count is part of reading the service.
    expect(calls.reads).toEqual({ "ecs:DescribeServices": 2, "ecs:DescribeTaskDefinition": 1, "application-autoscaling:DescribeScalableTargets": 1 });
  });

  it("explains a crashing revision that trips the circuit breaker, and says ECS rolled back", async () => {
    const step = webStep({ service: "crashy" });
    await deployService(step, context(h), options({ override: "shop-web:1" }));
    const watched = options({ override: "shop-web:3" });
    const error = await deployService(step, context(h), watched).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect((error as DeploymentFailedError).message).toBe("Deploying crashy to shop-web:3 failed (ROLLBACK_SUCCESSFUL).");
    const notes = watched.progress.lines.filter((l) => l.startsWith("note ")).map((l) => l.slice(5));
    // The breaker (threshold 3) trips at its third failure: the count ECS's service deployment records. Whether a
    // poll saw the rollback under way depends on when it came (poll-timing.test.ts pins each case); the verdict does not.
    expect(notes).toContain("  circuit breaker: tripped after 3 failed task(s) (rollback on)");
    expect(notes).toContain("  rolled back: yes, ECS rolled back to shop-web:1");
    expect(notes.some((n) => /^ {4}\d\d:\d\d:\d\d task [0-9a-f]{12} shop-web:3: EssentialContainerExited: Essential container in task exited; web exit 1$/.test(n))).toBe(true);
    expect(notes).toContain("  last service events:");
    const service = await describeService(h, "shop-dev", "crashy");
    expect(service.taskDefinition).toMatch(/shop-web:1$/);
    const [record] = await watched.records.list({ environment: "dev", cluster: "shop-dev", service: "crashy" });
    expect(record).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", failedTasks: 3, circuitBreaker: { enabled: true, rollback: true, tripped: true } });
  });

  it("explains a breaker trip without rollback: not rolled back, the failed revision stays", async () => {
    const step = webStep({ service: "stuck", deployment: { circuitBreaker: { enable: true, rollback: false } } });
    await deployService(step, context(h), options({ override: "shop-web:1" }));
    const watched = options({ override: "shop-web:3" });
    const error = await deployService(step, context(h), watched).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "deployment", message: "Deploying stuck to shop-web:3 failed (FAILED)." });
    const notes = watched.progress.lines.filter((l) => l.startsWith("note ")).map((l) => l.slice(5));
    expect(notes).toContain("  rolled back: no — run `slipway rollback` to return to shop-web:1");
    expect((await describeService(h, "shop-dev", "stuck")).taskDefinition).toMatch(/shop-web:3$/);
    const listed = await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "shop-dev", service: "stuck" }));
    // ECS marks the service deployment STOPPED: it keeps trying to start the revision, but the deployment is over.
    expect(listed.serviceDeployments?.map((d) => d.status)).toEqual(["STOPPED", "SUCCESSFUL"]);
  });

  it("refuses a service under another deployment controller, with how to migrate", async () => {
    const { CreateServiceCommand } = await import("@aws-sdk/client-ecs");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "shop-dev", serviceName: "external", desiredCount: 0, deploymentController: { type: "EXTERNAL" } }));
    await resetCalls(h);
    const error = await deployService(webStep({ service: "external" }), context(h), options({ override: "shop-web:1" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/uses the EXTERNAL deployment controller, but this step deploys with mode: rolling/);
    expect((error as ConflictError).hint).toMatch(/mode: canary or mode: blue-green.*--deployment-controller type=ECS/);
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("plans a dry run without a single write", async () => {
    const dry = await deployService(webStep({ service: "dry" }), context(h, { dryRun: true }), options({ override: "shop-web:2" }));
    expect(dry.plan.actions.map((a) => a.summary)).toEqual(["create the service dry running shop-web:2 × 2"]);
    expect(dry.output).toBeUndefined();
    expect((await callsSince(h)).writes).toEqual({});
  });
});
