import type { Service } from "@aws-sdk/client-ecs";
import { createWaiter, WaiterState, type WaiterResult } from "@smithy/core/client";
import { awsErrorName } from "../../../src/aws/call.js";
import { Interrupted } from "../../../src/engine/interruption.js";
import { serviceSnapshot, type DeploymentProgress, type DeploymentSnapshot } from "../progress.js";
import { isTransient } from "../rolling/wait.js";
import { revisionLabel } from "../state.js";
import type { DeploymentFacts } from "./facts.js";
import type { TaskSetPorts } from "./ports.js";
import { observeWorld, type World } from "./world.js";

/** How to wait: the SDK waiter's pacing, and the test-only switch for backends whose task sets never change. */
export interface StabilityPacing {
  minDelaySeconds: number;
  maxDelaySeconds: number;
  timeoutSeconds: number;
  /**
   * TEST ONLY, for moto: its task sets report STEADY_STATE at once and never run a task, so no honest check can
   * pass there. With this on, a wait returns at once without looking — the traffic, plan and cleanup assertions
   * still run. Never set against AWS: it would shift traffic to tasks nobody saw start.
   */
  skipStabilityWaits?: boolean;
  /** Ends a wait at once when aborted (Ctrl-C): the wait throws Interrupted. Default: waits run to their end. */
  signal?: AbortSignal;
}

export type WaitVerdict = { reached: true } | { reached: false; reason: string };

export function snapshotOf(service: Service): DeploymentSnapshot {
  return serviceSnapshot(
    service,
    (service.taskSets ?? []).map((t) => ({
      id: t.id ?? "",
      status: t.status ?? "",
      taskDefinition: revisionLabel(t.taskDefinition),
      desiredCount: t.computedDesiredCount ?? 0,
      pendingCount: t.pendingCount ?? 0,
      runningCount: t.runningCount ?? 0,
      failedTasks: 0,
      ...(t.stabilityStatus !== undefined && { rolloutState: t.stabilityStatus }),
    })),
  );
}

const changeKey = (s: DeploymentSnapshot) => JSON.stringify(s.deployments.map((d) => [d.id, d.status, d.desiredCount, d.pendingCount, d.runningCount, d.rolloutState]));

/**
 * Polls DescribeServices with the SDK's waiter (backoff with jitter, a deadline) until `done(world)` holds, telling
 * the progress sink each change of the task sets' counts. A poll failing transiently is retried; `broken(world)`
 * ends the wait early with a reason (the set it waits for vanished).
 */
export async function waitForWorld(
  what: string,
  facts: DeploymentFacts,
  ports: TaskSetPorts,
  progress: DeploymentProgress,
  pacing: StabilityPacing,
  done: (world: World) => boolean,
  broken: (world: World) => string | undefined = () => undefined,
): Promise<WaitVerdict> {
  if (pacing.skipStabilityWaits) return { reached: true };
  let lastKey = "";
  let lastWorld: World | undefined;
  let told = false;
  const poll = async (): Promise<WaiterResult<string>> => {
    let service: Service | undefined;
    try {
      service = await ports.services.describe(facts.cluster, facts.service);
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (!told) progress.note(`status poll failed (${awsErrorName(error) ?? "network"}); polling again`);
      told = true;
      return { state: WaiterState.RETRY };
    }
    told = false;
    if (!service) return { state: WaiterState.FAILURE, reason: `the service ${facts.service} disappeared` };
    const snapshot = snapshotOf(service);
    const key = changeKey(snapshot);
    if (key !== lastKey) progress.status(snapshot);
    lastKey = key;
    const world = observeWorld(service, {});
    lastWorld = world;
    if (done(world)) return { state: WaiterState.SUCCESS };
    const why = broken(world);
    return why ? { state: WaiterState.FAILURE, reason: why } : { state: WaiterState.RETRY };
  };
  const { minDelaySeconds, maxDelaySeconds, timeoutSeconds, signal } = pacing;
  const result = await createWaiter<TaskSetPorts, DeploymentFacts, string>(
    { client: ports, minDelay: minDelaySeconds, maxDelay: Math.max(maxDelaySeconds, minDelaySeconds), maxWaitTime: Math.max(timeoutSeconds, minDelaySeconds * 1.01), ...(signal && { abortSignal: signal }) },
    facts,
    poll,
  );
  progress.done?.();
  if (result.state === WaiterState.ABORTED || signal?.aborted) throw new Interrupted();
  if (result.state === WaiterState.SUCCESS) return { reached: true };
  if (result.state === WaiterState.FAILURE) return { reached: false, reason: `${what}: ${String(result.reason)}` };
  const sets = (lastWorld?.taskSets ?? []).map((s) => `${s.status} ${revisionLabel(s.taskDefinition)} ${s.runningCount}/${s.computedDesiredCount}${s.steady ? " steady" : ""}`).join(", ");
  return { reached: false, reason: `${what}: not reached within ${timeoutSeconds} s (task sets: ${sets || "none"})` };
}
