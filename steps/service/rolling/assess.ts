import type { Deployment, Service } from "@aws-sdk/client-ecs";
import type { OutcomeStatus } from "../mode.js";
import { serviceSnapshot, type DeploymentSnapshot } from "../progress.js";
import { revisionLabel } from "../state.js";

/**
 * Reading one DescribeServices answer during a rolling deployment: is it done, failed, rolling back, or still
 * going? Pure; the one fact carried between polls is whether our deployment was already seen failing, because
 * after ECS's rollback completes the failed deployment leaves deployments[] and the answer alone no longer says.
 */
export interface WatchMemory {
  /** Set once our deployment was seen FAILED (the circuit breaker tripped). */
  failed?: { reason: string };
  /** The most failed tasks our deployment was seen with. */
  failedTasks: number;
}

export type Verdict =
  | { kind: "in-progress"; rollingBackTo?: string }
  | { kind: "done"; status: Exclude<OutcomeStatus, "TIMED_OUT">; reason: string; rolledBackTo?: string };

const isSettled = (service: Service, deployment: Deployment | undefined): boolean =>
  deployment !== undefined &&
  (service.deployments?.length ?? 0) === 1 &&
  // Endpoints without rolloutState (older ECS, emulators) settle as ECS's own services-stable waiter does: counts only.
  (deployment.rolloutState === undefined || deployment.rolloutState === "COMPLETED") &&
  (deployment.runningCount ?? 0) === (deployment.desiredCount ?? 0);

const rolledBackByCircuitBreaker = (deployment: Deployment): boolean => /circuit breaker: rolling back/i.test(deployment.rolloutStateReason ?? "");

export function assess(service: Service, ourId: string, memory: WatchMemory): Verdict {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) => d.id === ourId);
  const primary = deployments.find((d) => d.status === "PRIMARY");
  if (ours) memory.failedTasks = Math.max(memory.failedTasks, ours.failedTasks ?? 0);
  if (ours?.rolloutState === "FAILED" && !memory.failed) memory.failed = { reason: ours.rolloutStateReason ?? "the deployment failed" };
  // A sparse poll can miss our deployment while it was FAILED: once ECS's rollback has stopped its tasks it leaves
  // deployments[]. The rollback deployment names what it rolls back from in its rolloutStateReason, so that is
  // the evidence left that ours failed, rather than "someone else deployed".
  if (!ours && !memory.failed && primary && rolledBackByCircuitBreaker(primary)) {
    memory.failed = { reason: "ECS deployment circuit breaker: tasks failed to start." };
  }

  if (memory.failed) {
    // ECS rolls back by starting a new PRIMARY deployment of the last completed revision.
    if (!primary || primary.id === ourId) return { kind: "done", status: "FAILED", reason: `${memory.failed.reason} ECS did not roll back: the circuit breaker's rollback is off, or no earlier deployment had completed.` };
    const target = revisionLabel(primary.taskDefinition);
    if (primary.rolloutState === "FAILED") return { kind: "done", status: "ROLLBACK_FAILED", reason: `${memory.failed.reason} ECS tried to roll back to ${target}, and that failed too.`, ...(primary.taskDefinition && { rolledBackTo: primary.taskDefinition }) };
    if (isSettled(service, primary)) return { kind: "done", status: "ROLLBACK_SUCCESSFUL", reason: `${memory.failed.reason} ECS rolled back to ${target}, which is steady.`, ...(primary.taskDefinition && { rolledBackTo: primary.taskDefinition }) };
    return { kind: "in-progress", rollingBackTo: target };
  }
  if (ours && ours === primary && isSettled(service, ours)) return { kind: "done", status: "SUCCESSFUL", reason: `${revisionLabel(ours.taskDefinition)} is running ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} and the service is steady.` };
  if (!ours || ours.status !== "PRIMARY") {
    const by = primary ? `deployment ${primary.id ?? "?"} of ${revisionLabel(primary.taskDefinition)}` : "another deployment";
    return { kind: "done", status: "FAILED", reason: `The deployment ${ourId} was replaced by ${by} before it finished: someone else deployed to this service meanwhile.` };
  }
  return { kind: "in-progress" };
}

export function snapshotOf(service: Service): DeploymentSnapshot {
  return serviceSnapshot(
    service,
    (service.deployments ?? []).map((d) => ({
      id: d.id ?? "",
      status: d.status ?? "",
      taskDefinition: revisionLabel(d.taskDefinition),
      desiredCount: d.desiredCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      runningCount: d.runningCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      ...(d.rolloutState !== undefined && { rolloutState: d.rolloutState }),
    })),
  );
}
