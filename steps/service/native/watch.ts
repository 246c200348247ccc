import { setTimeout as sleep } from "node:timers/promises";
import type { DeploymentLifecycleHookDetail, ServiceDeployment } from "@aws-sdk/client-ecs";
import type { Action as ElbAction } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createWaiter, WaiterState, type WaiterResult } from "@smithy/core/client";
import { awsErrorName } from "../../../src/aws/call.js";
import type { RuleRef } from "../../../src/aws/listener-weights.js";
import { describeDecision, type Approvals } from "../../../src/engine/approvals.js";
import { ConflictError, NotFoundError } from "../../../src/errors.js";
import { executePlan, type ExecutionContext } from "../../../src/engine/executor.js";
import { Interrupted, interruptedBy } from "../../../src/engine/interruption.js";
import type { Action } from "../../../src/engine/plan.js";
import { requestApproval } from "../../manual-intervention/gate.js";
import { describeRoute, routesOf } from "../../verification/desired.js";
import { runProbes } from "../../verification/probes.js";
import type { OutcomeStatus, WatchPacing } from "../mode.js";
import type { DeploymentProgress } from "../progress.js";
import { isTransient } from "../rolling/wait.js";
import { revisionLabel } from "../state.js";
import { stageWork, type StageWork } from "./hooks.js";
import type { NativePorts } from "./ports.js";
import type { NativeSettings } from "./settings.js";

/** One ECS deployment being watched, and everything slipway does at its pauses. */
export interface NativeWatch {
  serviceDeploymentArn: string;
  service: string;
  environment: string;
  deploymentId: string;
  settings: NativeSettings;
  /** The rules ECS shifts, and the group the new revision serves from: for showing weights. */
  rules: { production: RuleRef; test?: RuleRef };
  green: string;
  ports: NativePorts;
  execution: ExecutionContext;
  progress: DeploymentProgress;
  approvals: Approvals;
  pacing: WatchPacing;
  approvalPollMs?: number;
  signal?: AbortSignal;
  /**
   * Returning to a known-good revision: slipway's pauses are continued at once — no probe or person stands between an
   * incident and the version that worked.
   */
  noGates?: boolean;
}

export interface NativeOutcome {
  status: OutcomeStatus;
  reason: string;
  endedAt: Date;
  /** The task definition ECS rolled back to, when it did. */
  rolledBackTo?: string;
  /**
   * Where the deployment ended: for one that finished, the lifecycle stage ECS was at; for one rolled back or
   * stopped, the last stage it went forward to ("PRE_PRODUCTION_TRAFFIC_SHIFT at 10%"), not the rollback's CLEAN_UP.
   */
  stage?: string;
}

type DecideHook = Action<"decide-hook", { hookId: string; action: "CONTINUE" | "ROLLBACK" }>;
type Done = { outcome: Omit<NativeOutcome, "endedAt"> };

const finished = new Set(["SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED"]);

/** Green's share (0–100) of a rule's forward action, undefined when the rule does not name green. */
export function greenShare(actions: readonly ElbAction[] | undefined, green: string): number | undefined {
  const groups = actions?.find((a) => a.Type === "forward")?.ForwardConfig?.TargetGroups ?? [];
  const total = groups.reduce((n, g) => n + (g.Weight ?? 1), 0);
  const mine = groups.find((g) => g.TargetGroupArn === green);
  if (!mine || total === 0) return mine ? 0 : undefined;
  return Math.round(((mine.Weight ?? 1) / total) * 1000) / 10;
}

/**
 * Watches one of ECS's own deployments to its end (DescribeServiceDeployments), telling each lifecycle stage with the
 * production and test rules' weights, and doing slipway's part wherever ECS pauses for it: probes through the test
 * rule, a person's approval, then ContinueServiceDeployment CONTINUE — or ROLLBACK. Every decision is journalled by
 * hook id, so a resumed slipway re-reads the hooks (each pause has a new id) and never decides one twice. The
 * deployment lives in ECS: an interrupted watch leaves it running, paused where ECS waits.
 */
export async function watchNative(w: NativeWatch): Promise<NativeOutcome> {
  const work = stageWork(w.settings);
  let lastKey = "";
  /** The last stage seen while the deployment went forward, labelled as its gates are. */
  let forwardStage: string | undefined;
  let lastChangeMs = Date.now();
  let transientStreak = 0;
  const allowanceSeconds = w.pacing.timeoutSeconds + 60 * Math.max(w.settings.bakeTimeInMinutes, w.settings.linearConfiguration?.stepBakeTimeInMinutes ?? 0, w.settings.canaryConfiguration?.canaryBakeTimeInMinutes ?? 0);

  const weights = async (): Promise<{ production?: number; test?: number }> => {
    const refs = [w.rules.production, ...(w.rules.test ? [w.rules.test] : [])];
    const actions = await w.ports.weights.actionsOf(refs);
    const production = greenShare(actions[w.rules.production.arn], w.green);
    const test = w.rules.test ? greenShare(actions[w.rules.test.arn], w.green) : undefined;
    return { ...(production !== undefined && { production }), ...(test !== undefined && { test }) };
  };
  const showWeights = (s: { production?: number; test?: number }) =>
    [s.production !== undefined && `production ${s.production} % new / ${Math.round((100 - s.production) * 10) / 10} % old`, s.test !== undefined && `test ${s.test} % new`].filter(Boolean).join(", ");

  const describe = async (): Promise<ServiceDeployment> => {
    const described = await w.ports.history.describe([w.serviceDeploymentArn]);
    if (!described.offered) throw new ConflictError(`ECS's deployment of ${w.service} cannot be watched: ${described.reason}.`, "mode: ecs-blue-green, ecs-linear and ecs-canary need an endpoint with ECS's service deployments (AWS, or slipway's simulator); use mode: rolling or a task-set mode elsewhere.");
    const record = described.value[0];
    if (!record) throw new NotFoundError(`ECS has no service deployment ${w.serviceDeploymentArn} of ${w.service}.`, "It was deleted or belongs to another service; deploy again.");
    return record;
  };

  const decide = async (hook: DeploymentLifecycleHookDetail, action: "CONTINUE" | "ROLLBACK", label: string, why: string): Promise<void> => {
    const hookId = hook.hookId ?? "";
    const decision: DecideHook = { kind: "decide-hook", key: `hook ${hookId}`, summary: `${action === "CONTINUE" ? "continue" : "roll back"} at ${label}: ${why}`, params: { hookId, action } };
    try {
      await executePlan({ step: `service:${w.service}`, actions: [decision], diff: [], notes: [] }, () => w.ports.control.decideHook(w.serviceDeploymentArn, hookId, action).then(() => ({ action })), w.execution);
      w.progress.note(`${decision.summary} (ContinueServiceDeployment ${action})`);
    } catch (error) {
      // ECS moved on meanwhile (the hook timed out, someone decided it elsewhere): the next look says where it went.
      if (!/InvalidParameter|Conflict|ServiceDeploymentNotFound/.test(awsErrorName(error) ?? "")) throw error;
      w.progress.note(`ECS no longer waits at ${label} (${awsErrorName(error) ?? "refused"}); looking again`);
    }
  };

  /** Waits for a person while ECS waits at the hook; if ECS stops waiting (its timeout), the gate is closed too. */
  const approve = async (stage: StageWork, approval: NonNullable<StageWork["approval"]>, label: string, hook: DeploymentLifecycleHookDetail): Promise<{ action: "CONTINUE" | "ROLLBACK" | "none"; why: string }> => {
    const hookGone = new AbortController();
    const signals = [hookGone.signal, ...(w.signal ? [w.signal] : [])];
    const watcher = (async () => {
      while (!hookGone.signal.aborted) {
        // A timer that keeps the process alive, cut short when the wait ends: `finally` below awaits this loop, so
        // an unref'd one left a CLI process with nothing else pending to exit mid-deployment (code 13, its
        // top-level await unsettled) right after a person decided, with ECS still waiting at the hook.
        await sleep(w.pacing.maxDelaySeconds * 1000, undefined, { signal: hookGone.signal }).catch(() => undefined);
        if (hookGone.signal.aborted || w.signal?.aborted) return;
        const now = await describe().catch(() => undefined);
        const still = now?.status === "IN_PROGRESS" && now.lifecycleHookDetails?.some((h) => h.hookId === hook.hookId && h.status === "AWAITING_ACTION");
        if (now && !still) hookGone.abort();
      }
    })();
    try {
      const decision = await requestApproval(
        {
          approvals: w.approvals,
          deploymentId: w.deploymentId,
          timeoutSeconds: stage.timeoutMinutes * 60,
          ...(approval.approvers && { approvers: approval.approvers }),
          ...(approval.instructions !== undefined && { instructions: approval.instructions }),
          ...(w.approvalPollMs !== undefined && { pollIntervalMs: w.approvalPollMs }),
          signal: AbortSignal.any(signals),
          onOpen: () => w.progress.note(`ECS waits at ${label} (pause hook ${hook.hookId ?? "?"}, until ${hook.expiresAt?.toISOString() ?? "?"}, then ${hook.timeoutAction ?? "ROLLBACK"}): slipway approve ${w.deploymentId} to continue, slipway abort ${w.deploymentId} to roll back`),
        },
        { stage: label, summary: approval.instructions ?? `${w.service} in ${w.environment}: continue ECS's deployment at ${label}?` },
      );
      const why = `approval ${describeDecision(decision)}`;
      if (decision.outcome === "approved") return { action: "CONTINUE", why };
      return { action: decision.outcome === "timed-out" ? stage.onTimeout : "ROLLBACK", why };
    } catch (error) {
      if (hookGone.signal.aborted && !w.signal?.aborted) {
        await w.approvals.expire({ deploymentId: w.deploymentId, stage: label }).catch(() => undefined);
        return { action: "none", why: `ECS stopped waiting at ${label} (the hook's ${stage.timeoutMinutes} min ran out: ECS did ${hook.timeoutAction ?? stage.onTimeout})` };
      }
      throw interruptedBy(w.signal, error);
    } finally {
      hookGone.abort();
      await watcher;
    }
  };

  const verify = async (label: string): Promise<{ passed: boolean; why: string }> => {
    const verification = w.settings.verification;
    if (!verification?.probes) return { passed: true, why: "no probes" };
    const routes = routesOf(verification.matches);
    w.progress.note(`probing the new revision through the test listener rule (${routes.map(describeRoute).join(" or ")}) at ${label}`);
    const report = await runProbes(`verification-probes:${w.service}`, verification.probes, routes, w.execution);
    for (const r of report.results) w.progress.note(`probe ${r.passed ? "passed" : "FAILED"}: ${r.reason}`);
    const failed = report.results.filter((r) => !r.passed).map((r) => r.reason);
    return { passed: report.passed, why: report.passed ? "probes passed" : `verification failed: ${failed.join("; ") || "nothing to probe"}` };
  };

  /** slipway's part at a pause: probes, then a person; then ECS is told. */
  const atPause = async (record: ServiceDeployment, hook: DeploymentLifecycleHookDetail): Promise<void> => {
    // A string, not the SDK's enum: ECS shows PRE_PRODUCTION_TRAFFIC_SHIFT there, which the model's enum lacks.
    const stage: string = record.lifecycleStage ?? "?";
    const shares = await weights();
    const label = stage === "PRE_PRODUCTION_TRAFFIC_SHIFT" ? `${stage} at ${shares.production ?? 0}%` : stage;
    const mine = work.find((s) => s.stage === stage);
    if (!mine || w.noGates) return decide(hook, "CONTINUE", label, w.noGates ? "returning to a known-good revision: no gate" : "slipway has nothing to do here");
    let verified = "";
    if (mine.verify && stage === "POST_TEST_TRAFFIC_SHIFT") {
      const verdict = await verify(label);
      if (!verdict.passed) return decide(hook, "ROLLBACK", label, verdict.why);
      verified = verdict.why;
    }
    const decision = mine.approval ? await approve(mine, mine.approval, label, hook) : { action: "CONTINUE" as const, why: verified };
    if (decision.action !== "none") await decide(hook, decision.action, label, decision.why);
    else w.progress.note(decision.why);
  };

  const rollbackTarget = async (record: ServiceDeployment): Promise<string | undefined> => {
    const arn = record.rollback?.serviceRevisionArn;
    if (!arn) return undefined;
    const revisions = await w.ports.history.revisions([arn]);
    return revisions.offered ? revisions.value[0]?.taskDefinition : undefined;
  };

  const poll = async (): Promise<WaiterResult<Done>> => {
    let record: ServiceDeployment;
    try {
      record = await describe();
    } catch (error) {
      if (!isTransient(error)) throw error;
      transientStreak += 1;
      if (transientStreak === 1) w.progress.note(`status poll failed (${awsErrorName(error) ?? "network"}); ECS is unaffected, polling again`);
      return { state: WaiterState.RETRY };
    }
    transientStreak = 0;
    const awaiting = (record.lifecycleHookDetails ?? []).filter((h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION");
    const key = JSON.stringify([record.status, record.lifecycleStage, awaiting.map((h) => h.hookId)]);
    if (key !== lastKey) {
      lastKey = key;
      lastChangeMs = Date.now();
      const shares = await weights();
      const shown = showWeights(shares);
      // A string, not the SDK's enum, which lacks PRE_PRODUCTION_TRAFFIC_SHIFT (as in atPause).
      const at: string | undefined = record.lifecycleStage;
      if (record.status === "IN_PROGRESS" && at) forwardStage = at === "PRE_PRODUCTION_TRAFFIC_SHIFT" ? `${at} at ${shares.production ?? 0}%` : at;
      const line = `ECS ${record.status ?? "?"} ${record.lifecycleStage ?? ""}${shown ? `: ${shown}` : ""}`.trim();
      w.progress.note(line);
      w.progress.stage?.(`${w.service} ${line}`);
    }
    if (finished.has(record.status ?? "")) {
      const rolledBackTo = await rollbackTarget(record);
      const why = record.statusReason ?? "";
      const stage = record.status === "SUCCESSFUL" ? record.lifecycleStage : (forwardStage ?? record.lifecycleStage);
      const base = { ...(rolledBackTo && { rolledBackTo }), ...(stage && { stage }) };
      switch (record.status) {
        case "SUCCESSFUL":
          return { state: WaiterState.SUCCESS, reason: { outcome: { status: "SUCCESSFUL", reason: `ECS finished the ${w.settings.strategy} deployment: the new revision serves all traffic.`, ...base } } };
        case "ROLLBACK_SUCCESSFUL":
          return { state: WaiterState.FAILURE, reason: { outcome: { status: "ROLLBACK_SUCCESSFUL", reason: `${why} ECS rolled back${rolledBackTo ? ` to ${revisionLabel(rolledBackTo)}` : ""}.`.trim(), ...base } } };
        case "ROLLBACK_FAILED":
          return { state: WaiterState.FAILURE, reason: { outcome: { status: "ROLLBACK_FAILED", reason: `${why} ECS's rollback failed.`.trim(), ...base } } };
        default:
          return { state: WaiterState.FAILURE, reason: { outcome: { status: "FAILED", reason: `ECS stopped the deployment: ${why || "another deployment replaced it"}.`, ...base } } };
      }
    }
    if (record.status === "IN_PROGRESS") {
      for (const hook of awaiting) {
        await atPause(record, hook);
        lastChangeMs = Date.now();
      }
    }
    if ((Date.now() - lastChangeMs) / 1000 > allowanceSeconds) {
      return { state: WaiterState.FAILURE, reason: { outcome: { status: "TIMED_OUT", reason: `ECS's deployment stayed at ${record.lifecycleStage ?? "?"} (${record.status ?? "?"}) for ${Math.round(allowanceSeconds)} s. It goes on in ECS: \`slipway resume\` watches it again, \`slipway abort\` rolls it back.`, ...(record.lifecycleStage && { stage: record.lifecycleStage }) } } };
    }
    return { state: WaiterState.RETRY };
  };

  const { minDelaySeconds, maxDelaySeconds } = w.pacing;
  // The waiter's own deadline only bounds the whole watch (a person may take ECS's longest hook timeout, 14 days);
  // a deployment that stops moving is caught by the allowance above.
  const result = await createWaiter<NativeWatch, string, Done>(
    { client: w, minDelay: minDelaySeconds, maxDelay: Math.max(maxDelaySeconds, minDelaySeconds), maxWaitTime: 15 * 24 * 3600, ...(w.signal && { abortSignal: w.signal }) },
    w.serviceDeploymentArn,
    poll,
  );
  w.progress.done?.();
  if (result.state === WaiterState.ABORTED) throw new Interrupted();
  const done = (result.reason as Done | undefined)?.outcome;
  const endedAt = w.ports.clock.now();
  if (!done) return { status: "TIMED_OUT", reason: "The watch ended before ECS's deployment did; it goes on in ECS.", endedAt };
  return { ...done, endedAt };
}
