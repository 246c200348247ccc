import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteTaskSetCommand } from "@aws-sdk/client-ecs";
import { DeploymentFailedError } from "../../../../src/errors.js";
import { deployService } from "../../../../steps/service/index.js";
import type { RawStage } from "../../../../steps/service/task-sets/stages.js";
import { startSim, type SimHarness } from "../../../support/sim.js";
import { createCluster, describeService, imageBehaves, registerWeb } from "../../../sim/ecs-fixtures.js";
import { approvalsDir, blueGreenFixture, canaryFixture, context, journal, revisionShares, runOptions, settledState, shop, step, verifyHeader, WatchedJournal, type Shop } from "./world.js";

/** Decides every gate the moment it opens with `verdict`, as `slipway abort` from another terminal would. */
function decideAll(verdict: "approved" | "aborted") {
  const approvals = approvalsDir();
  const timer = setInterval(() => {
    void approvals.list({ open: true }).then((gates) => Promise.all(gates.map((g) => approvals.decide({ deploymentId: g.deploymentId, stage: g.stage, verdict, by: "oncall", reason: "error rate up" }).catch(() => undefined))));
  }, 10);
  timer.unref();
  return approvals;
}

const header = { verify: { header: { name: "X-Slipway-Verify", values: ["tester-7f3a"] } } } as RawStage;

describe("rollback from every stage, automatic on failure", () => {
  let h: SimHarness;
  let failing: Server;
  let failingUrl: string;
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createCluster(h, "shop-dev");
    await registerWeb(h, "shop-web", "shop/web:1.0.0");
    await registerWeb(h, "shop-web", "shop/web:2.0.0");
    await registerWeb(h, "shop-web", "shop/web:3.0.0-crash");
    await imageBehaves(h, "shop/web:3.0.0-crash", "crash");
    failing = createServer((_req, res) => {
      res.statusCode = 503;
      res.end("down");
    });
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    failing.close();
    await h.close();
  });

  async function deployed(name: string, fixture = canaryFixture): Promise<Shop> {
    const s = await shop(h, name);
    await deployService(step(fixture, { service: name }), context(h, s), runOptions({ override: "shop-web:1" }));
    return s;
  }

  async function failedDeploy(s: Shop, stages: RawStage[], options: { override?: string; fixture?: string; approvals?: ReturnType<typeof approvalsDir>; onStage?: (stage: string) => Promise<void>; waitTimeoutSeconds?: number } = {}) {
    const opts = runOptions({ override: options.override ?? "shop-web:2", ...(options.approvals && { approvals: options.approvals }) });
    const j = options.onStage ? new WatchedJournal(journal(), options.onStage) : journal();
    const error = await deployService(step(options.fixture ?? canaryFixture, { service: s.name, stages, waitTimeoutSeconds: options.waitTimeoutSeconds ?? 20 }), context(h, s, { journal: j }), opts).catch((e: unknown) => e);
    return { error: error as DeploymentFailedError, lines: opts.progress.lines };
  }

  it("a canary that never becomes steady: nothing was routed to it; it is deleted and shop-web:1 stays", async () => {
    const s = await deployed("crashy");
    const { error } = await failedDeploy(s, [{ canaryRollout: { scale: 50 } }, { trafficRouting: { canary: 10 } }, { primaryRollout: {} }, { canaryClean: {} }], { override: "shop-web:3", waitTimeoutSeconds: 1.5 });
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect(error.message).toMatch(/^Deploying crashy to shop-web:3 failed and was rolled back \(ROLLBACK_SUCCESSFUL\): stage 1 canary rollout 50% failed: the canary task set becoming steady: not reached within 1.5 s/);
    expect(await settledState(h, s, "crashy")).toEqual({ revision: "shop-web:1", problems: [] });
  });

  it("an abort at 50 % with verification open: traffic back first, rules closed, the canary deleted (quick path)", async () => {
    const s = await deployed("aborted");
    const during: Record<string, number>[] = [];
    const { error, lines } = await failedDeploy(s, [{ canaryRollout: { scale: 50 } }, header, { trafficRouting: { canary: 50 } }, { approval: {} }, { primaryRollout: {} }, { canaryClean: {} }], {
      approvals: decideAll("aborted"),
      onStage: async () => {
        during.push(await revisionShares(h, s));
      },
    });
    expect(error.message).toMatch(/stage 4 approval failed: stage 4 approval aborted by oncall at .*: error rate up/);
    expect(during.at(-1)).toEqual({ "shop-web:1": 0.5, "shop-web:2": 0.5 });
    expect(await settledState(h, s, "aborted")).toEqual({ revision: "shop-web:1", problems: [] });
    // Traffic first, then capacity: the weights moved back before the canary was deleted.
    const done = lines.filter((l) => l.startsWith("note done: "));
    const weights = done.findIndex((l) => l.includes("route 100% live / 0% other"));
    const deletes = done.findIndex((l) => l.includes("delete the task set"));
    expect(weights).toBeGreaterThanOrEqual(0);
    expect(weights).toBeLessThan(deletes);
    expect(await revisionShares(h, s, { headers: verifyHeader })).toEqual({ "shop-web:1": 1 });
  });

  it("an abort after the primary rollout: shop-web:1's set is made primary again and the rest deleted (full path)", async () => {
    const s = await deployed("late");
    const { error } = await failedDeploy(s, [{ canaryRollout: { scale: 50 } }, { trafficRouting: { canary: 10 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { approval: {} }, { canaryClean: {} }], { approvals: decideAll("aborted") });
    expect(error.message).toMatch(/stage 5 approval failed/);
    expect(await settledState(h, s, "late")).toEqual({ revision: "shop-web:1", problems: [] });
    expect((await describeService(h, "shop-dev", "late")).taskDefinition).toMatch(/shop-web:1$/);
  });

  it("after the primary rollout with shop-web:1's set lost: a new set of shop-web:1 on the primary group is made primary", async () => {
    const s = await deployed("lost");
    const { error } = await failedDeploy(s, [{ canaryRollout: { scale: 50 } }, { primaryRollout: {} }, { approval: {} }, { canaryClean: {} }], {
      approvals: decideAll("aborted"),
      onStage: async (stage) => {
        if (!stage.includes("primary rollout")) return;
        const sets = (await describeService(h, "shop-dev", "lost")).taskSets ?? [];
        const old = sets.find((t) => t.taskDefinition?.endsWith("shop-web:1"));
        await h.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "shop-dev", service: "lost", taskSet: old?.id ?? "", force: true }));
      },
    });
    expect(error).toBeInstanceOf(DeploymentFailedError);
    const settled = await settledState(h, s, "lost");
    expect(settled).toEqual({ revision: "shop-web:1", problems: [] });
    const [only] = (await describeService(h, "shop-dev", "lost")).taskSets ?? [];
    expect(only?.externalId).toMatch(/\/restore$/);
    expect(only?.loadBalancers?.[0]?.targetGroupArn).toBe(s.primary);
  });

  it("a failed probe rolls back before any production traffic reached the canary", async () => {
    const s = await deployed("probed");
    const probe = { verify: { header: { name: "X-Slipway-Verify", values: ["tester-7f3a"] }, probes: { baseUrl: failingUrl, checks: [{ path: "/health", attempts: 1 }] } } } as RawStage;
    const { error } = await failedDeploy(s, [{ canaryRollout: { scale: 50 } }, probe, { trafficRouting: { canary: 10 } }, { primaryRollout: {} }, { canaryClean: {} }]);
    expect(error.message).toMatch(/stage 2 verify failed: verification failed: \/health with header X-Slipway-Verify.* answered 503, expected 200/);
    expect(await settledState(h, s, "probed")).toEqual({ revision: "shop-web:1", problems: [] });
  });

  it("an approval nobody gives in time rolls back", async () => {
    const s = await deployed("nobody");
    const { error } = await failedDeploy(s, [{ canaryRollout: { scale: 50 } }, { approval: { timeoutSeconds: 0.2 } }, { primaryRollout: {} }, { canaryClean: {} }], { approvals: approvalsDir() });
    expect(error.message).toMatch(/stage 2 approval failed: stage 2 approval timed out by slipway/);
    expect(await settledState(h, s, "nobody")).toEqual({ revision: "shop-web:1", problems: [] });
  });

  it("blue/green aborted during the bake, with all traffic on green: back to blue, green deleted", async () => {
    const s = await deployed("bake", blueGreenFixture);
    const { error } = await failedDeploy(s, [{ greenRollout: {} }, { trafficRouting: { green: 100 } }, { approval: {} }, { clean: {} }], { fixture: blueGreenFixture, approvals: decideAll("aborted") });
    expect(error.message).toMatch(/stage 3 approval failed/);
    expect(await settledState(h, s, "bake")).toEqual({ revision: "shop-web:1", problems: [] });
  });
});
