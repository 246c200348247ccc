import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { DescribeRulesCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Approvals, Gate } from "../../../../src/engine/approvals.js";
import { Interrupted } from "../../../../src/engine/interruption.js";
import type { Journal } from "../../../../src/engine/journal.js";
import { DeploymentFailedError, InterruptedError } from "../../../../src/errors.js";
import { FileDeploymentRecords } from "../../../../src/storage/file-deployment-records.js";
import { FileJournal } from "../../../../src/storage/file-journal.js";
import { attachedOf, deployNative } from "../../../../steps/service/native/deploy.js";
import { testRuleOwner } from "../../../../steps/service/native/facts.js";
import { tagKeys } from "../../../../steps/verification/identity.js";
import type { LoadedServiceStep } from "../../../../steps/service/load.js";
import { startSim, type SimHarness } from "../../../support/sim.js";
import { createCluster, describeService, registerWeb } from "../../../sim/ecs-fixtures.js";
import { KilledJournal, ProcessKilled } from "../task-sets/world.js";
import { approvalsAtEveryPause, approvalsStore, context, greenShare, nativeLane, nativeStep, pausePoints, runOptions, strategies, type NativeLane, type Strategy } from "./world.js";

/**
 * Issue 18 for ECS's own blue/green, linear and canary: a slipway killed at any journal boundary (the Nth append
 * throws as if the process died there — after the AWS call it was about to record, before the record), then run
 * again with the real journal and the same deployment id, finishes ECS's deployment or rolls it back cleanly: ECS's
 * deployment ended (SUCCESSFUL on shop-web:2 with all production traffic on the new group, or ROLLBACK_SUCCESSFUL on
 * shop-web:1 with all of it on the old), no second ECS deployment started, one test listener rule, no gate left
 * open, every pause decided by a person exactly once, and the deployment recorded once. A slipway stopped while it
 * waits at a gate (its signal aborted) is resumed the same way.
 *
 * Each scenario has its own service and load balancer in one simulator, so they run side by side.
 */
interface Tally {
  tried: number;
  held: number;
  finished: number;
  rolledBack: number;
  failures: string[];
}

/** Scenarios running at once in the one simulator. */
const parallel = 8;
/** ECS's wait at each pause, simulated: long enough (30 s of wall clock at 200×) that a busy machine never times one out. */
const approvals = approvalsAtEveryPause(100);

let h: SimHarness;
let v1 = "";
let v2 = "";
const tallies: Record<string, Tally> = {};

beforeAll(async () => {
  h = await startSim({ speed: 200 });
  await createCluster(h, "shop-dev");
  v1 = await registerWeb(h, "shop-web", "shop/web:1.0.0");
  v2 = await registerWeb(h, "shop-web", "shop/web:2.0.0");
});
afterAll(async () => {
  // The figures the issue asks for: kills tried and kills after which every invariant held.
  console.log(`native kills: ${JSON.stringify(tallies)}`);
  await h.close();
});

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** The service step for scenario `name`: the strategy, the verification header, approvals at every pause. */
function v2Step(strategy: Strategy, name: string): LoadedServiceStep {
  return nativeStep({ service: name, mode: strategy.mode, deployment: strategy.deployment, taskDefinition: v2, approvals });
}

/**
 * A lane with the service on shop-web:1 by the same strategy, without verification: the deployment under test then
 * creates its test listener rule, so a kill around CreateRule is among the boundaries.
 */
async function blueLane(strategy: Strategy, name: string): Promise<NativeLane> {
  const lane = await nativeLane(h, name);
  const loaded = nativeStep({ service: name, mode: strategy.mode, deployment: strategy.deployment, taskDefinition: v1 });
  const { verification: _none, ...raw } = loaded.raw;
  const { output } = await deployNative({ ...loaded, raw }, context(lane), runOptions(approvalsStore()));
  if (output?.status !== "SUCCESSFUL") throw new Error(`${name}: shop-web:1 was not deployed: ${output?.status ?? "?"}`);
  return lane;
}

/** A person in another process deciding each gate of the store as it opens (`verdict` undefined: left open). */
function decider(store: Approvals, verdict: (gate: Gate) => "approved" | "aborted" | undefined): { stop(): void } {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      for (const gate of await store.list({ open: true })) {
        const v = verdict(gate);
        if (v) await store.decide({ deploymentId: gate.deploymentId, stage: gate.stage, verdict: v, by: "oncall" }).catch(() => undefined);
      }
    })().finally(() => {
      busy = false;
    });
  }, 10);
  return { stop: () => clearInterval(timer) };
}

interface Expected {
  status: "SUCCESSFUL" | "ROLLBACK_SUCCESSFUL";
  /** The gates a person decides, in order. */
  gates: string[];
}

/** Every invariant that must hold once the deployment has ended; what does not, in words. */
async function problemsAfter(lane: NativeLane, name: string, deploymentId: string, journal: Journal, store: Approvals, records: FileDeploymentRecords, outcome: unknown, want: Expected): Promise<{ status: string; problems: string[] }> {
  const problems: string[] = [];
  const ended = outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : `with ${JSON.stringify((outcome as { output?: unknown } | undefined)?.output)}`;
  if (want.status === "SUCCESSFUL" && (outcome as { output?: { status?: string } } | undefined)?.output?.status !== "SUCCESSFUL") problems.push(`the rerun ended ${ended}`);
  // Said to the person: the old revision serves again (not "its first deployment").
  if (want.status === "ROLLBACK_SUCCESSFUL" && !(outcome instanceof DeploymentFailedError && /ROLLBACK_SUCCESSFUL/.test(outcome.message) && (outcome.hint ?? "").includes("runs shop-web:1 again"))) problems.push(`the rerun ended ${ended}`);

  // ECS: one deployment of shop-web:2 (v1's and this one), ended, the one the journal attached to.
  const listed = (await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "shop-dev", service: name }))).serviceDeployments ?? [];
  if (listed.length !== 2) problems.push(`${listed.length} ECS deployments (v1's and this one expected): ${listed.map((d) => d.status).join(", ")}`);
  const attached = attachedOf(await journal.entries(deploymentId), name);
  if (!attached) problems.push("the journal attached to no ECS deployment");
  const arn = attached?.serviceDeploymentArn ?? "";
  const [record] = arn ? ((await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments ?? []) : [];
  const status = record?.status ?? "(none)";
  if (status !== want.status) problems.push(`ECS's deployment is ${status}`);

  // The service and production traffic on the revision the outcome says; testers too after a rollback.
  const service = await describeService(h, "shop-dev", name);
  const revision = want.status === "SUCCESSFUL" ? v2 : v1;
  if (service.taskDefinition !== revision) problems.push(`the service runs ${service.taskDefinition ?? "?"}`);
  const live = want.status === "SUCCESSFUL" ? lane.green : lane.blue;
  const production = await greenShare(lane, live, false);
  if (production !== 100) problems.push(`${production} % of production traffic on the ${want.status === "SUCCESSFUL" ? "new" : "old"} group`);
  if (want.status === "ROLLBACK_SUCCESSFUL" && (await greenShare(lane, live, true)) !== 100) problems.push("testers' traffic is not all on the old group");

  // One test listener rule for the service: none leaked by a kill around CreateRule.
  const rules = ((await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: lane.listenerArn }))).Rules ?? []).filter((r) => !r.IsDefault);
  const tags = (await h.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: rules.map((r) => r.RuleArn ?? "") }))).TagDescriptions ?? [];
  const testRules = tags.filter((d) => d.Tags?.some((t) => t.Key === tagKeys.owner && t.Value === testRuleOwner) && d.Tags.some((t) => t.Key === tagKeys.service && t.Value === name));
  if (testRules.length !== 1) problems.push(`${testRules.length} test listener rules`);

  // Gates: none open, and each pause up to the verdict decided by the person, once, in order — no pause passed unasked.
  const gates = (await store.list()).filter((g) => g.deploymentId === deploymentId);
  const open = gates.filter((g) => !g.decision);
  if (open.length > 0) problems.push(`gates left open: ${open.map((g) => g.stage).join(", ")}`);
  const decided = gates.map((g) => `${g.stage}${g.decision?.by === "oncall" ? "" : ` (${g.decision?.outcome ?? "open"} by ${g.decision?.by ?? "nobody"})`}`);
  if (JSON.stringify(decided) !== JSON.stringify(want.gates)) problems.push(`gates ${JSON.stringify(decided)}`);

  const recorded = (await records.list({ environment: "dev", cluster: "shop-dev", service: name })).filter((r) => r.deploymentId === deploymentId);
  if (recorded.length !== 1 || recorded[0]?.status !== want.status) problems.push(`recorded ${recorded.length} times: ${recorded.map((r) => r.status).join(", ")}`);
  // What a later abort returns the service to, and history shows: the record says from shop-web:1 to :2.
  const [written] = recorded;
  if (written && (written.sourceTaskDefinition !== v1 || written.targetTaskDefinition !== v2 || written.ecsDeploymentId !== arn)) problems.push(`recorded from ${written.sourceTaskDefinition ?? "(nothing)"} to ${written.targetTaskDefinition} by ${written.ecsDeploymentId ?? "?"}`);
  if (attached?.sourceTaskDefinitionArn !== v1) problems.push(`the journal's attached deployment comes from ${attached?.sourceTaskDefinitionArn ?? "(nothing)"}`);
  return { status, problems };
}

/**
 * One kill scenario: shop-web:1 deployed, then shop-web:2 by a slipway whose journal dies on its `dieOn`th append
 * (never: a count run), then — a new process — the same deployment again with the real journal, deciding gates from
 * a new decider on the same store; the invariants after.
 */
async function killScenario(strategy: Strategy, name: string, abortAt: string | undefined, dieOn: number | undefined): Promise<{ appended: number; status?: string; problems: string[] }> {
  const lane = await blueLane(strategy, name);
  const storeDir = tmp("slipway-native-kill-approvals-");
  const records = new FileDeploymentRecords(join(tmp("slipway-native-kill-records-"), "deployments.jsonl"));
  const verdict = (gate: Gate) => (gate.stage === abortAt ? "aborted" : "approved");
  const deploymentId = `kill-${name}`;
  const real = new FileJournal(tmp("slipway-native-kill-journal-"));
  const killed = new KilledJournal(real, dieOn ?? Number.POSITIVE_INFINITY);
  const ctx = { ...context(lane), deploymentId };
  const run = async (journal: Journal) => {
    const store = approvalsStore(storeDir);
    const person = decider(store, verdict);
    return deployNative(v2Step(strategy, name), { ...ctx, journal }, runOptions(store, { records }))
      .catch((e: unknown) => e)
      .finally(() => person.stop());
  };
  let outcome = await run(killed);
  if (dieOn !== undefined) {
    if (!(outcome instanceof ProcessKilled)) return { appended: killed.appended, problems: [`the run was not killed at append ${dieOn}: ${String(outcome)}`] };
    outcome = await run(real);
  }
  const points = pausePoints(strategy);
  const want: Expected = { status: abortAt ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL", gates: abortAt ? points.slice(0, points.indexOf(abortAt) + 1) : points };
  const settled = await problemsAfter(lane, name, deploymentId, real, approvalsStore(storeDir), records, outcome, want);
  return { appended: killed.appended, status: settled.status, problems: settled.problems };
}

/** Runs `jobs` with at most `parallel` at once. */
async function pool<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results;
}

const short = { "ecs-blue-green": "bg", "ecs-linear": "li", "ecs-canary": "ca" } as const;

describe("crash safety of the ecs-* modes: killed at every journal boundary, then run again", () => {
  const cases = strategies.flatMap((strategy) => [
    { strategy, verdict: "approve" as const, abortAt: undefined },
    // Aborted at the last production step's pause: linear and canary have moved production traffic by then.
    { strategy, verdict: "abort" as const, abortAt: pausePoints(strategy).at(-2) },
  ]);
  for (const { strategy, verdict, abortAt } of cases) {
    it(`${strategy.mode}, ${abortAt ? `aborted at ${abortAt}` : "approved at every pause"}: ${abortAt ? "rolls back" : "finishes"} cleanly after a kill at any boundary`, async () => {
      const label = `k${short[strategy.mode]}${verdict[1] ?? ""}`;
      const count = await killScenario(strategy, `${label}-count`, abortAt, undefined);
      expect(count.problems).toEqual([]);
      const tally: Tally = { tried: 0, held: 0, finished: 0, rolledBack: 0, failures: [] };
      const expected = abortAt ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
      await pool(
        Array.from({ length: count.appended }, (_, i) => i + 1).map((n) => async () => {
          const result = await killScenario(strategy, `${label}-${n}`, abortAt, n);
          tally.tried += 1;
          if (result.problems.length === 0 && result.status === expected) tally.held += 1;
          else tally.failures.push(`kill at append ${n}: ${result.status ?? "?"} ${result.problems.join("; ")}`);
          if (result.status === "SUCCESSFUL") tally.finished += 1;
          if (result.status === "ROLLBACK_SUCCESSFUL") tally.rolledBack += 1;
        }),
      );
      tallies[`${strategy.mode} ${verdict}`] = tally;
      expect(tally.failures).toEqual([]);
      expect(tally.tried).toBe(count.appended);
      expect(tally.held).toBe(tally.tried);
    }, 600_000);
  }
});

describe("crash safety of the ecs-* modes: stopped while waiting at a gate, then run again", () => {
  /**
   * The run's signal aborted where it waits for a person at `point` (instead of the person deciding): ECS keeps
   * waiting at its pause hook, the gate stays open; the rerun picks the gate up and the person decides it then.
   */
  async function interruptScenario(strategy: Strategy, name: string, point: string, verdict: "approved" | "aborted"): Promise<{ status?: string; problems: string[] }> {
    const lane = await blueLane(strategy, name);
    const storeDir = tmp("slipway-native-stop-approvals-");
    const records = new FileDeploymentRecords(join(tmp("slipway-native-stop-records-"), "deployments.jsonl"));
    const journal = new FileJournal(tmp("slipway-native-stop-journal-"));
    const ctx = { ...context(lane), deploymentId: `stop-${name}`, journal };
    const stop = new AbortController();
    const first = approvalsStore(storeDir);
    const before = decider(first, (gate) => {
      if (gate.stage !== point) return "approved";
      stop.abort();
      return undefined;
    });
    const stopped = await deployNative(v2Step(strategy, name), ctx, runOptions(first, { records, signal: stop.signal }))
      .catch((e: unknown) => e)
      .finally(() => before.stop());
    if (!(stopped instanceof Interrupted || stopped instanceof InterruptedError)) return { problems: [`the stopped run ended ${String(stopped)}`] };
    const problems: string[] = [];
    // Where it stopped: ECS waits at the pause, the gate is open.
    const attached = attachedOf(await journal.entries(ctx.deploymentId), name);
    const [record] = (await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [attached?.serviceDeploymentArn ?? ""] }))).serviceDeployments ?? [];
    if (record?.status !== "IN_PROGRESS" || !record.lifecycleHookDetails?.some((hook) => hook.status === "AWAITING_ACTION")) problems.push(`after the stop ECS is ${record?.status ?? "?"} at ${record?.lifecycleStage ?? "?"}, not waiting`);
    const open = (await first.list({ open: true })).map((g) => g.stage);
    if (JSON.stringify(open) !== JSON.stringify([point])) problems.push(`after the stop the open gates are ${JSON.stringify(open)}`);

    const second = approvalsStore(storeDir);
    const person = decider(second, (gate) => (gate.stage === point ? verdict : "approved"));
    const outcome = await deployNative(v2Step(strategy, name), ctx, runOptions(second, { records }))
      .catch((e: unknown) => e)
      .finally(() => person.stop());
    const points = pausePoints(strategy);
    const want: Expected = verdict === "approved" ? { status: "SUCCESSFUL", gates: points } : { status: "ROLLBACK_SUCCESSFUL", gates: points.slice(0, points.indexOf(point) + 1) };
    const settled = await problemsAfter(lane, name, ctx.deploymentId, journal, approvalsStore(storeDir), records, outcome, want);
    return { status: settled.status, problems: [...problems, ...settled.problems] };
  }

  it("at every pause of every strategy, the rerun finishes on approval or rolls back on an abort", async () => {
    const tally: Tally = { tried: 0, held: 0, finished: 0, rolledBack: 0, failures: [] };
    const jobs = strategies.flatMap((strategy) =>
      pausePoints(strategy).flatMap((point, i) =>
        (["approved", "aborted"] as const).map((verdict) => async () => {
          const result = await interruptScenario(strategy, `s${short[strategy.mode]}${verdict[1] ?? ""}-${i}`, point, verdict);
          tally.tried += 1;
          const expected = verdict === "approved" ? "SUCCESSFUL" : "ROLLBACK_SUCCESSFUL";
          if (result.problems.length === 0 && result.status === expected) tally.held += 1;
          else tally.failures.push(`${strategy.mode} stopped at ${point}, then ${verdict}: ${result.status ?? "?"} ${result.problems.join("; ")}`);
          if (result.status === "SUCCESSFUL") tally.finished += 1;
          if (result.status === "ROLLBACK_SUCCESSFUL") tally.rolledBack += 1;
        }),
      ),
    );
    await pool(jobs);
    tallies["stopped at a gate"] = tally;
    expect(tally.failures).toEqual([]);
    expect(tally.tried).toBe(2 * strategies.reduce((n, s) => n + pausePoints(s).length, 0));
    expect(tally.held).toBe(tally.tried);
  }, 600_000);
});
