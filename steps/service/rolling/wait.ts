import type { Service } from "@aws-sdk/client-ecs";
import { createWaiter, WaiterState, type WaiterResult } from "@smithy/core/client";
import { awsErrorName } from "../../../src/aws/call.js";
import { Interrupted } from "../../../src/engine/interruption.js";
import { AwsCallError } from "../../../src/errors.js";
import type { ModeEnvironment, Rollout, RolloutOutcome } from "../mode.js";
import type { DeploymentSnapshot } from "../progress.js";
import { revisionLabel } from "../state.js";
import { assess, assessRecord, snapshotOf, type Verdict, type WatchMemory } from "./assess.js";
import { findServiceDeployment } from "./find-record.js";

/**
 * Throttling, 5xx answers and dropped connections that outlasted the SDK's own retries: during a wait they
 * mean "look again later", never "the deployment failed" — the deployment runs in ECS whatever our poll got.
 */
export function isTransient(error: unknown): boolean {
  const name = awsErrorName(error) ?? "";
  if (/Throttl|TooManyRequests|RequestLimitExceeded|ServerException|InternalFailure|InternalError|ServiceUnavailable|RequestTimeout|TimeoutError/.test(name)) return true;
  const cause = error instanceof AwsCallError ? error.cause : error;
  const status = (cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  const message = cause instanceof Error ? cause.message : "";
  return /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|fetch failed/.test(message);
}

const changeKey = (s: DeploymentSnapshot) => JSON.stringify(s.deployments.map((d) => [d.id, d.status, d.desiredCount, d.pendingCount, d.runningCount, d.failedTasks, d.rolloutState]));

/** Tells each service event once, oldest first, and remembers the last few for explaining a failure. */
class EventFeed {
  private readonly seen: Set<string>;
  readonly recent: { at: Date; message: string }[] = [];

  constructor(seenIds: string[], private readonly env: ModeEnvironment) {
    this.seen = new Set(seenIds);
  }

  take(service: Service): void {
    const fresh = (service.events ?? []).filter((e) => e.id !== undefined && !this.seen.has(e.id)).reverse();
    for (const e of fresh) {
      this.seen.add(e.id as string);
      const event = { at: e.createdAt ?? this.env.ports.clock.now(), message: e.message ?? "" };
      this.recent.push(event);
      if (this.recent.length > 10) this.recent.shift();
      this.env.progress.event(event);
    }
  }
}

type Finished = { verdict: Extract<Verdict, { kind: "done" }> };

/**
 * Waits for a rolling deployment with the SDK's waiter machinery (createWaiter: exponential backoff with jitter
 * between minDelay and maxDelay, a deadline, abort), one DescribeServices per poll. Each poll tells the
 * progress sink what changed; a poll that fails transiently is retried at the next interval.
 */
export async function waitForRolling(rollout: Rollout, env: ModeEnvironment): Promise<RolloutOutcome> {
  const memory: WatchMemory = { failedTasks: 0 };
  const events = new EventFeed(rollout.seenEventIds, env);
  let lastKey = "";
  let toldRollback = false;
  let transientStreak = 0;

  /** A failed read during the wait: transient ones mean "look again later", anything else ends the wait. */
  const retryLater = (error: unknown): WaiterResult<Finished> => {
    if (!isTransient(error)) throw error;
    transientStreak += 1;
    // One line per streak: a throttled poll is normal under load and not worth a line each time.
    if (transientStreak === 1) env.progress.note(`status poll failed (${awsErrorName(error) ?? "network"}); ECS is unaffected, polling again`);
    return { state: WaiterState.RETRY };
  };

  // The revision a rollback returns to, by its service revision ARN: read once, however many polls the rollback takes.
  const rollbackTargets = new Map<string, string | undefined>();
  /** The verdict from ECS's record of the rollout (assessRecord), `fallback` when the endpoint keeps none. */
  const fromRecord = async (serviceDeploymentArn: string, fallback: Verdict): Promise<Verdict> => {
    const described = await env.ports.history.describe([serviceDeploymentArn]);
    const record = described.offered ? described.value[0] : undefined;
    if (!record) return fallback;
    const revisionArn = record.rollback?.serviceRevisionArn;
    if (revisionArn !== undefined && !rollbackTargets.has(revisionArn)) {
      const revisions = await env.ports.history.revisions([revisionArn]);
      rollbackTargets.set(revisionArn, revisions.offered ? revisions.value[0]?.taskDefinition : undefined);
    }
    return assessRecord(record, fallback, memory, revisionArn === undefined ? undefined : rollbackTargets.get(revisionArn));
  };

  // ECS's record of the rollout: named by UpdateService's answer, or looked up once when it was not.
  let recordArn = rollout.serviceDeploymentArn;
  let lookedUp = recordArn !== undefined;
  const recordOfRollout = async (): Promise<string | undefined> => {
    if (!lookedUp) {
      recordArn = await findServiceDeployment(env.ports.history, rollout);
      lookedUp = true;
    }
    return recordArn;
  };

  // The waiter looks at once; a deployment that was started a moment ago cannot be done, so that look is skipped.
  let skipFirstLook = rollout.changed;
  const poll = async (): Promise<WaiterResult<Finished>> => {
    if (skipFirstLook) {
      skipFirstLook = false;
      return { state: WaiterState.RETRY };
    }
    let service: Service | undefined;
    try {
      service = await env.ports.services.describe(rollout.cluster, rollout.serviceName);
    } catch (error) {
      return retryLater(error);
    }
    transientStreak = 0;
    if (!service) {
      const verdict = { kind: "done", status: "FAILED", reason: `The service ${rollout.serviceName} disappeared during the deployment: someone deleted it.` } as const;
      return { state: WaiterState.FAILURE, reason: { verdict } };
    }
    events.take(service);
    const snapshot = snapshotOf(service);
    const key = changeKey(snapshot);
    if (key !== lastKey) {
      env.progress.status(snapshot);
      lastKey = key;
    }
    let verdict = assess(service, rollout.deploymentId, memory);
    // ECS's record decides whenever DescribeServices alone is not the plain "ours is PRIMARY and going or steady".
    const ours = service.deployments?.find((d) => d.id === rollout.deploymentId);
    const plain = ours?.status === "PRIMARY" && ours.rolloutState !== "FAILED" && !(verdict.kind === "in-progress" && verdict.rollingBackTo) && !(verdict.kind === "done" && verdict.status !== "SUCCESSFUL");
    if (rollout.changed && !plain) {
      // Read like DescribeServices: a transient failure is a poll to repeat, not a failed deployment.
      try {
        const arn = await recordOfRollout();
        if (arn) verdict = await fromRecord(arn, verdict);
      } catch (error) {
        return retryLater(error);
      }
    }
    if (verdict.kind === "in-progress") {
      if (verdict.rollingBackTo && !toldRollback) {
        env.progress.note(`circuit breaker tripped: ECS is rolling back to ${verdict.rollingBackTo}`);
        toldRollback = true;
      }
      return { state: WaiterState.RETRY };
    }
    return { state: verdict.status === "SUCCESSFUL" ? WaiterState.SUCCESS : WaiterState.FAILURE, reason: { verdict } };
  };

  const { minDelaySeconds, maxDelaySeconds, timeoutSeconds } = env.watch;
  const result = await createWaiter<ModeEnvironment, Rollout, Finished>(
    { client: env, minDelay: minDelaySeconds, maxDelay: Math.max(maxDelaySeconds, minDelaySeconds), maxWaitTime: Math.max(timeoutSeconds, minDelaySeconds * 1.01), ...(env.signal && { abortSignal: env.signal }) },
    rollout,
    poll,
  );
  env.progress.done?.();
  // Stopped watching, not finished: ECS goes on with the rollout; a resumed run watches it again, an abort rolls it back.
  if (result.state === WaiterState.ABORTED) throw new Interrupted();
  const base = { endedAt: env.ports.clock.now(), failedTasks: memory.failedTasks, circuitBreakerTripped: memory.failed !== undefined, recentEvents: events.recent };
  const finished = (result.reason as Finished | undefined)?.verdict;
  if (finished) {
    return { ...base, status: finished.status, reason: finished.reason, ...(finished.rolledBackTo && { rolledBackTo: finished.rolledBackTo }) };
  }
  const where = memory.failed
    ? `The circuit breaker tripped (${memory.failed.reason}) and ECS was still rolling back when the wait ended.`
    : "ECS has not rolled back and keeps trying; the service runs what it ran before alongside whatever new tasks stay up.";
  return { ...base, status: "TIMED_OUT", reason: `${revisionLabel(rollout.taskDefinitionArn)} did not reach a steady state within ${timeoutSeconds} s. ${where}` };
}
