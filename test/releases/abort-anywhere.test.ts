import { writeFileSync } from "node:fs";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Journal, JournalEntry } from "../../src/engine/journal.js";
import type { Store } from "../../src/engine/store.js";
import { startDeployment, type DeployingProject } from "../../src/releases/deployments.js";
import { runCli } from "../cli/capture.js";
import { openDeploying, sampleShop } from "../support/deploying-world.js";
import { ProjectStores } from "../support/project-store.js";
import { releaseProject, webServiceStep, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { revisionShares, settledState, verifyHeader, type Shop } from "../steps/service/task-sets/world.js";

/**
 * `slipway abort` at any moment: whatever the deployment was doing — pausing at 10 % with the verification rule
 * open, waiting out a rollout that will never be steady, or interrupted by Ctrl-C half-way — it ends rolled-back,
 * saying who and why, with every request served by the revision that ran before (the simulator's routing says so).
 */
const canaryStages = [
  "stages:",
  "  - canaryRollout: { scale: 50 }",
  "  - verify: { header: { name: X-Slipway-Verify, values: [tester-7f3a] } }",
  "  - trafficRouting: { canary: 10 }",
  "  - pause: { seconds: 3600 }",
  "  - primaryRollout: {}",
  "  - trafficRouting: { primary: 100 }",
  "  - canaryClean: {}",
];

describe("abort from anywhere: the run ends rolled-back, traffic back on what ran before", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  let store: Store;
  let project: DeployingProject;
  let dev: Shop;
  const stores = new ProjectStores();
  const pacing = { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 };

  /** Deploys `version` to dev to the end (the test's own process, as `slipway deploy` would). */
  async function deployed(version: string): Promise<void> {
    const started = await startDeployment(project, { release: version, environment: "dev", actor: "ci" });
    await started.execute({ pacing, abortPollMs: 20 });
  }

  /** Waits until the deployment's journal says `marker` happened (a stage done, a pause begun). */
  async function journalled(id: string, marker: RegExp): Promise<void> {
    await expect.poll(async () => (await store.journal.entries(id)).some((e) => e.phase === "succeeded" && marker.test(e.actionKey)), { timeout: 60_000, interval: 20 }).toBe(true);
  }

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    // A secret the deployments need, which whoever aborts need not hold.
    process.env.ABORT_TEST_DB_PASSWORD = "s3cret-abort-test";
    p = await releaseProject(h, { variables: "  dev:\n    DB_PASSWORD: { secret: true, fromEnv: ABORT_TEST_DB_PASSWORD }" });
    writeFileSync(p.serviceStep, webServiceStep("canary", canaryStages));
    for (const version of ["1.0.0", "1.1.0", "1.2.0"]) expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
    ({ store, project } = await openDeploying(p, stores));
    dev = sampleShop(h, p);
    await deployed("1.0.0");
  });
  afterAll(async () => {
    delete process.env.ABORT_TEST_DB_PASSWORD;
    await stores.closeAll();
    await h?.close();
  });

  it("during a pause at 10 % with verification open: rolled back by the runner, who and why recorded", { timeout: 120_000 }, async () => {
    const before = (await settledState(h, dev, "shop-web")).revision;
    const simulatedBefore = h.sim.clock.nowMs();
    const started = await startDeployment(project, { release: "1.1.0", environment: "dev", actor: "ci" });
    const running = started.execute({ pacing, abortPollMs: 20 }).then(() => undefined, (error: unknown) => error as Error);
    await journalled(started.run.id, /pause started$/);
    const during = await revisionShares(h, dev);
    expect(Object.values(during).sort()).toEqual([0.1, 0.9]);
    expect(during[before]).toBe(0.9);

    await store.runs.requestAbort(started.run.id, { by: "oncall", reason: "error rate up" });
    const error = await running;
    expect(error?.message).toBe(`Deployment ${started.run.id} was aborted by oncall (error rate up); rolled back: shop-web back on ${before} with all traffic.`);
    const run = await store.runs.get(started.run.id);
    expect(run).toMatchObject({ status: "rolled-back", error: { message: error?.message } });
    // The run and its events are dated by AWS's clock — the simulator's, 200 times faster than this machine's.
    const simulatedAfter = h.sim.clock.nowMs();
    const events = await store.events.since(started.run.id);
    for (const at of [run?.startedAt, run?.endedAt, ...events.filter((e) => e.type !== "decision").map((e) => e.at)]) {
      expect(Date.parse(at ?? "")).toBeGreaterThanOrEqual(simulatedBefore - 1_500);
      expect(Date.parse(at ?? "")).toBeLessThanOrEqual(simulatedAfter + 1_500);
    }
    expect(await settledState(h, dev, "shop-web")).toEqual({ revision: before, problems: [] });
    expect(await revisionShares(h, dev, { headers: verifyHeader })).toEqual({ [before]: 1 });
    // The environment's history says what happened, who asked for it and how it ended.
    const history = await runCli("history", "--env", "dev", "--project", p.project);
    expect(history.code, history.err).toBe(0);
    expect(history.out[0]).toBe("deployments in dev, newest first (times are AWS's clock, UTC):");
    expect(history.out[1]).toMatch(/^ {2}STARTED +ENDED +RELEASE +WHO +OUTCOME +SERVICES$/);
    expect(history.out[2]).toMatch(/^ {2}\S+Z +\S+Z +1\.1\.0 +ci +rolled-back +shop-web shop-web:\d+ → shop-web:\d+ ROLLBACK_SUCCESSFUL$/);
    expect(history.out[3]).toBe(`    ${error?.message ?? ""}`);
  });

  it("interrupted by Ctrl-C at 10 %, then `slipway abort`: this command rolls it back and waits until it is", { timeout: 120_000 }, async () => {
    const before = (await settledState(h, dev, "shop-web")).revision;
    const ctrlC = new AbortController();
    const started = await startDeployment(project, { release: "1.2.0", environment: "dev", actor: "ci" });
    const running = started.execute({ pacing, abortPollMs: 20, signal: ctrlC.signal }).then(() => undefined, (error: unknown) => error as Error);
    await journalled(started.run.id, /pause started$/);
    ctrlC.abort();
    expect((await running)?.message).toMatch(/interrupted at stage 4 \(pause 3600s\): traffic 90% live \/ 10% other/);
    expect((await store.runs.get(started.run.id))?.status).toBe("interrupted");
    expect((await revisionShares(h, dev))[before]).toBe(0.9);

    // On-call holds no production secret: rolling back renders nothing, so it needs none.
    delete process.env.ABORT_TEST_DB_PASSWORD;
    const aborted = await runCli("abort", started.run.id, "--as", "oncall", "--reason", "not today", "--project", p.project, "--poll-interval", "0.02");
    process.env.ABORT_TEST_DB_PASSWORD = "s3cret-abort-test";
    expect(aborted.code, aborted.err).toBe(0);
    expect(aborted.out[0]).toBe(`aborting deployment ${started.run.id} (interrupted): rolling back what it changed`);
    expect(aborted.out.at(-1)).toBe(`Deployment ${started.run.id} was aborted by oncall (not today); rolled back: shop-web back on ${before} with all traffic.`);
    expect((await store.runs.get(started.run.id))?.status).toBe("rolled-back");
    expect(await settledState(h, dev, "shop-web")).toEqual({ revision: before, problems: [] });

    const again = await runCli("abort", started.run.id, "--project", p.project);
    expect(again.code).toBe(4);
    expect(again.err).toContain(`Deployment ${started.run.id} already ended: rolled-back.`);
  });
});

describe("abort from anywhere: a rolling deployment that will never be steady", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  let store: Store;
  let project: DeployingProject;
  const stores = new ProjectStores();
  const pacing = { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 };

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    // 1.3.0 never passes its health checks, and no circuit breaker stops the rollout: only a person can.
    p = await releaseProject(h, { imageRule: '{ range: "^1.0.0" }' });
    writeFileSync(p.serviceStep, webServiceStep("rolling", ["deployment: { minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: { enable: false, rollback: false } }"]));
    for (const version of ["1.0.0", "1.3.0"]) expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
    ({ store, project } = await openDeploying(p, stores));
    await (await startDeployment(project, { release: "1.0.0", environment: "dev", actor: "ci" })).execute({ pacing });
  });
  afterAll(async () => {
    await stores.closeAll();
    await h?.close();
  });

  it("mid-rollout: the service goes back to the revision it ran, steady, and the run says rolled-back", { timeout: 120_000 }, async () => {
    const service = async () => (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }))).services?.[0];
    const before = (await service())?.taskDefinition;
    const started = await startDeployment(project, { release: "1.3.0", environment: "dev", actor: "ci" });
    const running = started.execute({ pacing, abortPollMs: 20 }).then(() => undefined, (error: unknown) => error as Error);
    await expect.poll(async () => (await store.journal.entries(started.run.id)).some((e) => e.actionKind === "update-service" && e.phase === "succeeded"), { timeout: 60_000, interval: 20 }).toBe(true);
    expect((await service())?.deployments?.length).toBe(2);

    await store.runs.requestAbort(started.run.id, { by: "oncall" });
    const error = await running;
    const label = before?.split("/").at(-1);
    expect(error?.message).toBe(`Deployment ${started.run.id} was aborted by oncall; rolled back: shop-web back on ${label}.`);
    expect((await store.runs.get(started.run.id))?.status).toBe("rolled-back");
    const after = await service();
    expect(after?.taskDefinition).toBe(before);
    expect(after?.deployments?.map((d) => [d.status, d.rolloutState, d.taskDefinition])).toEqual([["PRIMARY", "COMPLETED", before]]);
    // History says what the run left: the service back on the revision it ran.
    const history = await runCli("history", "--env", "dev", "--project", p.project);
    expect(history.out[2]).toMatch(new RegExp(`^ {2}\\S+Z +\\S+Z +1\\.3\\.0 +ci +rolled-back +shop-web shop-web:\\d+ → ${label} SUCCESSFUL$`));
  });
});

/** The store as runs see it, with every journal append shown to `onAppended` first (another terminal acting at that moment). */
function watchedStore(store: Store, onAppended: (entry: JournalEntry) => Promise<void>): Store {
  const journal: Journal = {
    append: async (entry) => {
      const appended = await store.journal.append(entry);
      await onAppended(appended);
      return appended;
    },
    entries: (id) => store.journal.entries(id),
  };
  return new Proxy(store, { get: (target, key) => (key === "journal" ? journal : Reflect.get(target, key)) });
}

describe.each([
  {
    mode: "canary" as const,
    stages: ["  - canaryRollout: { scale: 50 }", "  - verify: { header: { name: X-Slipway-Verify, values: [tester-7f3a] } }", "  - trafficRouting: { canary: 10 }", "  - trafficRouting: { canary: 50 }", "  - primaryRollout: {}", "  - trafficRouting: { primary: 100 }", "  - canaryClean: {}"],
  },
  {
    mode: "blue-green" as const,
    stages: ["  - greenRollout: {}", "  - verify: { header: { name: X-Slipway-Verify, values: [tester-7f3a] } }", "  - trafficRouting: { green: 100 }", "  - pause: { seconds: 1 }", "  - clean: {}"],
  },
])("abort from anywhere: a $mode deployment aborted as each stage ends", ({ mode, stages }) => {
  let h: SimHarness;
  let p: ReleaseProject;
  let store: Store;
  let project: DeployingProject;
  let dev: Shop;
  const stores = new ProjectStores();
  const pacing = { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 };

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    writeFileSync(p.serviceStep, webServiceStep("canary", ["stages:", ...stages]).replace("mode: canary", `mode: ${mode}`));
    for (const version of ["1.0.0", "1.1.0"]) expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
    ({ store, project } = await openDeploying(p, stores));
    dev = sampleShop(h, p);
    await (await startDeployment(project, { release: "1.0.0", environment: "dev", actor: "ci" })).execute({ pacing });
  });
  afterAll(async () => {
    await stores.closeAll();
    await h?.close();
  });

  it.each(stages.map((_, index) => index + 1))("as stage %i ends: rolled back, every request on the revision that ran before", { timeout: 120_000 }, async (stage) => {
    const before = (await settledState(h, dev, "shop-web")).revision;
    let splitAtAbort: Record<string, number> | undefined;
    let id = "";
    // The abort is recorded the moment the stage is journalled done, before the deployment's next write.
    const watched = watchedStore(store, async (entry) => {
      if (splitAtAbort || entry.deploymentId !== id || entry.phase !== "succeeded" || !new RegExp(`^stage ${stage} .*: done$`).test(entry.actionKey)) return;
      splitAtAbort = await revisionShares(h, dev);
      await store.runs.requestAbort(id, { by: "oncall", reason: `after stage ${stage}` });
    });
    const started = await startDeployment({ ...project, store: watched }, { release: "1.1.0", environment: "dev", actor: "ci" });
    id = started.run.id;
    const error = await started.execute({ pacing, abortPollMs: 20 }).then(() => undefined, (e: unknown) => e as Error);
    expect(splitAtAbort, "the abort was asked for").toBeDefined();
    expect(error?.message).toBe(`Deployment ${id} was aborted by oncall (after stage ${stage}); rolled back: shop-web back on ${before} with all traffic.`);
    expect((await store.runs.get(id))?.status).toBe("rolled-back");
    expect(await settledState(h, dev, "shop-web")).toEqual({ revision: before, problems: [] });
    expect(await revisionShares(h, dev, { headers: verifyHeader })).toEqual({ [before]: 1 });
    // Where traffic stood when the abort came: the old revision's share, whatever it was, is all of it now.
    expect(Object.values(splitAtAbort ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});
