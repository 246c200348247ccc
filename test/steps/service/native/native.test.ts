import { afterEach, describe, expect, it } from "vitest";
import { ListServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { DeploymentFailedError } from "../../../../src/errors.js";
import { deployNative } from "../../../../steps/service/native/deploy.js";
import { describeService } from "../../../sim/ecs-fixtures.js";
import { approvalsAtEveryPause, approvalsStore, context, decideGates, greenShare, nativeShop, nativeStep, pausePoints, runOptions, strategies, type NativeShop, type Strategy } from "./world.js";

/**
 * slipway driving ECS's own blue/green, linear and canary on the simulator: at every pause the traffic oracle shows
 * what the plan said, testers' header reaches the new revision before any production request does, and a person's
 * approval continues while an abort rolls back to the old revision with all traffic.
 */
let shop: NativeShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const everyPause = approvalsAtEveryPause(60);

/** The service on shop-web:1 with the strategy, no approvals: the blue every test deploys against. */
async function onV1(s: NativeShop, strategy: Strategy): Promise<void> {
  const approvals = approvalsStore();
  const { output } = await deployNative(nativeStep({ mode: strategy.mode, deployment: strategy.deployment, taskDefinition: s.v1 }), context(s), runOptions(approvals));
  expect(output?.status).toBe("SUCCESSFUL");
  expect(await greenShare(s, s.blue, false)).toBe(100);
}

describe.each(strategies)("mode: $mode", (strategy) => {
  it("stops at every pause with the traffic the plan said, the header on the new revision before any production request, and finishes on approvals", { timeout: 120_000 }, async () => {
    const s = (shop = await nativeShop());
    await onV1(s, strategy);
    const approvals = approvalsStore();
    const gates = decideGates(s, approvals, () => s.green, () => "approved");
    const options = runOptions(approvals);
    let shown: string[] = [];
    const { output } = await deployNative(nativeStep({ mode: strategy.mode, deployment: strategy.deployment, taskDefinition: s.v2, approvals: everyPause }), context(s), { ...options, onPlan: (p) => (shown = [...p.diff, ...p.notes]) }).finally(() => gates.stop());

    expect(output?.status).toBe("SUCCESSFUL");
    expect(shown.join("\n")).toMatch(/deployment strategy: .*pause hooks at PRE_SCALE_UP/);
    // The plan said which production shares ECS would stop before; the gates below saw exactly those.
    const planned = [...strategy.production.slice(1), 100].map((p) => `${p} %`).join(" → ");
    expect(shown).toContain(`ECS ${strategy.strategy}: production traffic on the new revision ${planned}, then 0 min bake before the old revision goes`);
    expect(gates.seen).toEqual([
      { stage: "PRE_SCALE_UP", production: 0, test: 0 },
      { stage: "POST_SCALE_UP", production: 0, test: 0 },
      { stage: "POST_TEST_TRAFFIC_SHIFT", production: 0, test: 100 },
      ...strategy.production.map((p) => ({ stage: `PRE_PRODUCTION_TRAFFIC_SHIFT at ${p}%`, production: p, test: 100 })),
      { stage: "POST_PRODUCTION_TRAFFIC_SHIFT", production: 100, test: 100 },
    ]);
    expect(await greenShare(s, s.green, false)).toBe(100);
    const service = await describeService(s.h, "shop-dev", "shop-web");
    expect(service.taskDefinition).toBe(s.v2);
    const [record] = await options.records.list({ environment: "dev", cluster: "shop-dev", service: "shop-web" });
    expect(record).toMatchObject({ status: "SUCCESSFUL", mode: strategy.mode, sourceTaskDefinition: s.v1, targetTaskDefinition: s.v2 });
  });

  it("rolls back to the old revision with all traffic when a person aborts at any pause", { timeout: 240_000 }, async () => {
    const s = (shop = await nativeShop());
    await onV1(s, strategy);
    for (const point of pausePoints(strategy)) {
      const approvals = approvalsStore();
      // Each deployment's new revision goes to the group not serving production now.
      const live = (await greenShare(s, s.blue, false)) === 100 ? s.blue : s.green;
      const green = live === s.blue ? s.green : s.blue;
      const gates = decideGates(s, approvals, () => green, (gate) => (gate.stage === point ? "aborted" : "approved"));
      const failure = await deployNative(nativeStep({ mode: strategy.mode, deployment: strategy.deployment, taskDefinition: s.v2, approvals: everyPause }), context(s), runOptions(approvals))
        .then(() => undefined, (error: unknown) => error)
        .finally(() => gates.stop());
      expect(failure, point).toBeInstanceOf(DeploymentFailedError);
      // Where it was rolled back from, not the rollback's own last stage.
      expect((failure as Error).message, point).toContain(`ended ROLLBACK_SUCCESSFUL at ${point}: `);
      expect(gates.seen.at(-1)?.stage, point).toBe(point);
      expect(await greenShare(s, live, false), point).toBe(100);
      expect(await greenShare(s, live, true), point).toBe(100);
      expect((await describeService(s.h, "shop-dev", "shop-web")).taskDefinition, point).toBe(s.v1);
    }
  });
});

describe("verification probes through the test listener rule, over real HTTP", () => {
  async function frontendOf(s: NativeShop): Promise<string> {
    const frontends = (await s.h.control("GET", "elbv2/frontends")) as { listenerArn: string; url: string }[];
    return frontends.find((f) => f.listenerArn === s.listenerArn)?.url ?? "";
  }

  it("continues once the new revision answered the probes, and rolls back before any production request when it did not", { timeout: 120_000 }, async () => {
    const s = (shop = await nativeShop());
    const strategy = strategies[2] as Strategy;
    await onV1(s, strategy);
    const baseUrl = await frontendOf(s);
    const probing = (revision: string) => ({ header: { name: "X-Slipway-Verify", values: ["green"] }, probes: { baseUrl, checks: [{ path: "/", bodyContains: revision, attempts: 1 }] } });

    // The probe expects a revision that is not the new one: it fails, and ECS is told ROLLBACK before production moves.
    const failing = runOptions(approvalsStore());
    const refused = await deployNative(nativeStep({ mode: strategy.mode, deployment: strategy.deployment, taskDefinition: s.v2, verification: probing("shop-web:9") }), context(s), failing).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeploymentFailedError);
    expect(failing.progress.lines).toContainEqual(expect.stringMatching(/probe FAILED: \/ with header X-Slipway-Verify: green answered 200 without "shop-web:9" in the body/));
    expect(failing.progress.lines).toContainEqual(expect.stringMatching(/roll back at POST_TEST_TRAFFIC_SHIFT: verification failed/));
    expect(failing.progress.lines.some((l) => /production [1-9]/.test(l))).toBe(false);
    expect(await greenShare(s, s.blue, false)).toBe(100);

    const passing = runOptions(approvalsStore());
    const { output } = await deployNative(nativeStep({ mode: strategy.mode, deployment: strategy.deployment, taskDefinition: s.v2, verification: probing("shop-web:2") }), context(s), passing);
    expect(output?.status).toBe("SUCCESSFUL");
    expect(passing.progress.lines).toContainEqual(expect.stringMatching(/probe passed: \/ with header X-Slipway-Verify: green answered 200 with "shop-web:2"/));
    expect(passing.progress.lines).toContainEqual(expect.stringMatching(/continue at POST_TEST_TRAFFIC_SHIFT: probes passed/));
    // A terminal's status line follows ECS's deployment, not task counts: the last state it shows is the end.
    const stages = passing.progress.lines.filter((l) => l.startsWith("stage "));
    expect(stages).toContainEqual(expect.stringMatching(/^stage shop-web ECS IN_PROGRESS POST_TEST_TRAFFIC_SHIFT: .*test 100 % new/));
    expect(stages.at(-1)).toMatch(/^stage shop-web ECS SUCCESSFUL/);
  });
});

describe("running a finished deployment again", () => {
  it("re-attaches to ECS's rolled-back deployment instead of starting another, however the service changed meanwhile", { timeout: 120_000 }, async () => {
    const s = (shop = await nativeShop());
    const strategy = strategies[2] as Strategy;
    await onV1(s, strategy);
    const approvals = approvalsStore();
    const gates = decideGates(s, approvals, () => s.green, (gate) => (gate.stage === "POST_TEST_TRAFFIC_SHIFT" ? "aborted" : "approved"));
    const ctx = context(s);
    const step = nativeStep({ mode: strategy.mode, deployment: strategy.deployment, taskDefinition: s.v2, approvals: [{ at: "POST_TEST_TRAFFIC_SHIFT", timeoutMinutes: 60 }] });
    try {
      await expect(deployNative(step, ctx, runOptions(approvals))).rejects.toThrow(/ROLLBACK_SUCCESSFUL/);
      // ECS has put the service back on shop-web:1: a fresh plan would see a revision to update. The same deployment
      // run again (a `slipway resume` after a kill at its last journal entry) must only watch what it started.
      await expect(deployNative(step, ctx, runOptions(approvals))).rejects.toThrow(/ROLLBACK_SUCCESSFUL/);
    } finally {
      gates.stop();
    }
    const deployments = await s.h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "shop-dev", service: "shop-web" }));
    expect(deployments.serviceDeployments?.map((d) => d.status)).toEqual(["ROLLBACK_SUCCESSFUL", "SUCCESSFUL"]);
    expect((await describeService(s.h, "shop-dev", "shop-web")).taskDefinition).toBe(s.v1);
  });
});
