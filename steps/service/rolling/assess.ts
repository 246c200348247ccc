import type { Deployment, Service, ServiceDeployment } from "@aws-sdk/client-ecs";
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

/**
 * The verdict from ECS's own record of the rollout (DescribeServiceDeployments), which keeps its status, circuit
 * breaker and rollback after DescribeServices' deployments[] has moved on: a first poll that comes after ECS rolled
 * back reads the same outcome as one that watched it happen. `fallback` is assess()'s verdict from
 * DescribeServices; it stands while the record says the deployment is still going. Failed tasks are the breaker's
 * own count, what ECS decided on.
 */
export function assessRecord(record: ServiceDeployment, fallback: Verdict, memory: WatchMemory, rolledBackTo: string | undefined): Verdict {
  const breaker = record.deploymentCircuitBreaker;
  if (breaker?.failureCount !== undefined) memory.failedTasks = breaker.failureCount;
  const tripped = breaker?.status === "TRIGGERED";
  if (tripped && !memory.failed) memory.failed = { reason: `ECS deployment circuit breaker tripped after ${breaker?.failureCount ?? "?"} failed task(s) (threshold ${breaker?.threshold ?? "?"}).` };
  const why = memory.failed?.reason ?? record.statusReason ?? "";
  const to = revisionLabel(rolledBackTo);
  switch (record.status) {
    case "SUCCESSFUL":
      return fallback.kind === "done" && fallback.status === "SUCCESSFUL" ? fallback : { kind: "done", status: "SUCCESSFUL", reason: "ECS recorded the service deployment SUCCESSFUL." };
    case "ROLLBACK_SUCCESSFUL":
      return { kind: "done", status: "ROLLBACK_SUCCESSFUL", reason: `${why} ECS rolled back to ${to}, which is steady.`, ...(rolledBackTo && { rolledBackTo }) };
    case "ROLLBACK_FAILED":
      return { kind: "done", status: "ROLLBACK_FAILED", reason: `${why} ECS tried to roll back to ${to}, and that failed too.`, ...(rolledBackTo && { rolledBackTo }) };
    case "ROLLBACK_REQUESTED":
    case "ROLLBACK_IN_PROGRESS":
      return { kind: "in-progress", rollingBackTo: to };
    case "STOPPED":
      if (tripped) return { kind: "done", status: "FAILED", reason: `${why} ECS did not roll back: the circuit breaker's rollback is off, or no earlier deployment had completed.` };
      return fallback.kind === "done" ? fallback : { kind: "done", status: "FAILED", reason: `ECS stopped the service deployment: ${record.statusReason ?? "no reason given"}` };
    default:
      // IN_PROGRESS, PENDING, STOP_REQUESTED: still going, whatever a DescribeServices answer seemed to say.
      return fallback.kind === "done" && fallback.status !== "SUCCESSFUL" ? { kind: "in-progress" } : fallback;
  }
}
