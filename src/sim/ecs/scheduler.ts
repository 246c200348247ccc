import type { Simulator } from "../simulator.js";
import type { TaskBehindTarget } from "../links.js";
import type { EcsRegionState } from "./state.js";
import type { ServiceDeploymentRecord, ServiceRecord, TaskContainerRecord, TaskRecord } from "./service-model.js";
import { isCurrentWake, reconcileNative } from "./native-controller.js";
import { recordTaskFailure } from "./circuit-breaker.js";
import { reconcileRolling } from "./rolling.js";
import { reconcileTaskSets } from "./task-set-scheduler.js";
import { advanceTask, checkContainerHealth, checkTargetHealth, isPending, isRunning, type TaskChange } from "./task-lifecycle.js";
import { schedOf, serviceOfTask, type Sched } from "./world.js";
import type { TimelineEntry } from "./timeline.js";

/** How long a deleted (INACTIVE) service stays describable. */
export const INACTIVE_SERVICE_RETENTION_SECONDS = 3600;

/**
 * Moves one region's services and tasks forward to `now`: every due change is applied at its own time, in time
 * order, and the service it touches is reconciled at that same time — so a jump of an hour leaves a history
 * whose timestamps read as if the hour had passed. Only due timeline entries are visited, never the whole past.
 */
export function advanceRegion(state: EcsRegionState, now: Date, sim: Simulator): void {
  const s = schedOf(state, sim);
  const limit = now.getTime();
  const timeline = s.world.timeline;
  let lastInstant = -Infinity;
  let rounds = 0;
  // One instant at a time, earliest first: apply every change due at it, then reconcile the services those changes
  // touched at that same instant. A reconcile may schedule more changes (never earlier than its instant); they are
  // picked up by the next turn, so nothing due by `now` is left for the next request and time never runs backwards.
  for (let instant = timeline.peekAt(); instant !== undefined && instant <= limit; instant = timeline.peekAt()) {
    rounds = instant === lastInstant ? rounds + 1 : 0;
    if (rounds > 1000) throw new Error(`ECS scheduler: no progress at ${new Date(instant).toISOString()} (changes keep scheduling changes at the same instant)`);
    lastInstant = instant;
    const at = new Date(instant);
    const touched = new Set<ServiceRecord>();
    for (let due = timeline.popDue(instant); due; due = timeline.popDue(instant)) applyDue(s, due.entry, at, touched);
    for (const service of touched) reconcileService(s, service, at);
  }
}

function applyDue(s: Sched, entry: TimelineEntry, at: Date, touched: Set<ServiceRecord>): void {
  const state = s.state;
  switch (entry.kind) {
    case "task":
    case "health":
    case "container-health": {
      const task = state.tasks.get(entry.taskArn);
      if (!task || task.epoch !== entry.epoch) return;
      const service = serviceOfTask(s, task);
      const change: TaskChange =
        entry.kind === "task" ? advanceTask(s, service, task, at) : entry.kind === "health" ? checkTargetHealth(s, service, task, at) : checkContainerHealth(s, service, task, entry.container, at);
      if (change === "none" || !service) return;
      if (change === "stopping" && task.failed) recordTaskFailure(s, service, task, at);
      touched.add(service);
      return;
    }
    case "purge-task": {
      const task = state.tasks.get(entry.taskArn);
      if (!task) return;
      state.tasks.delete(task.arn);
      state.tags.delete(task.arn);
      if (task.serviceArn !== undefined) s.world.tasksByService.get(task.serviceArn)?.delete(task);
      return;
    }
    case "service-deployment": {
      const record = s.world.serviceDeployments.get(entry.serviceDeploymentArn);
      const service = record && state.services.get(record.serviceArn);
      if (service && isCurrentWake(record, entry.epoch)) touched.add(service);
      return;
    }
    case "purge-service": {
      const service = state.services.get(entry.serviceArn);
      if (service?.status === "INACTIVE" && service.inactiveAt?.getTime() === entry.inactiveAt) state.services.delete(service.arn);
      return;
    }
  }
}

/** The primary deployment's service deployment when a native strategy is running it; a deleted service has none. */
function nativeInProgress(s: Sched, service: ServiceRecord): ServiceDeploymentRecord | undefined {
  const primary = service.deployments.find((d) => d.status === "PRIMARY");
  const record = primary && s.world.serviceDeployments.get(primary.serviceDeploymentArn);
  if (!record?.native?.active) return undefined;
  if (service.status !== "ACTIVE") {
    record.native.active = false;
    return undefined;
  }
  return record;
}

/** One reconcile pass of the service's controller at `at`, then its counts and (when drained) its retirement. */
export function reconcileService(s: Sched, service: ServiceRecord, at: Date): void {
  if (service.status === "INACTIVE") return;
  if (service.controller === "EXTERNAL") reconcileTaskSets(s, service, at);
  else {
    const native = nativeInProgress(s, service);
    if (native) reconcileNative(s, service, native, at);
    // Once a native deployment is over (or the service is being deleted), the rolling controller keeps the count.
    if (!native?.native?.active) reconcileRolling(s, service, at);
  }
  refreshCounts(s, service);
  if (service.status === "DRAINING" && [...s.world.tasksOf(service.arn)].every((t) => t.lastStatus === "STOPPED")) {
    service.status = "INACTIVE";
    service.inactiveAt = at;
    service.deployments = [];
    service.taskSets = [];
    s.world.timeline.schedule(at.getTime() + INACTIVE_SERVICE_RETENTION_SECONDS * 1000, { kind: "purge-service", serviceArn: service.arn, inactiveAt: at.getTime() });
  }
}

export function refreshCounts(s: Sched, service: ServiceRecord): void {
  let running = 0;
  let pending = 0;
  for (const task of s.world.tasksOf(service.arn)) {
    if (isRunning(task)) running++;
    else if (isPending(task)) pending++;
  }
  service.runningCount = running;
  service.pendingCount = pending;
}

export function taskBehindTarget(state: EcsRegionState, taskArn: string, targetGroupArn?: string): TaskBehindTarget | undefined {
  const task = state.tasks.get(taskArn);
  if (!task) return undefined;
  const image = servingContainer(task, targetGroupArn)?.image;
  return {
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    // Only a service's tasks stand behind targets; a standalone task has no service to name.
    serviceName: task.serviceName ?? "",
    clusterArn: task.clusterArn,
    ...(task.owner.kind === "taskSet" ? { taskSetId: task.owner.id } : { deploymentId: task.owner.id }),
    lastStatus: task.lastStatus,
    ...(task.stoppedServingAt && { stoppedServingAt: task.stoppedServingAt }),
    ...(task.stopCode && { stopCode: task.stopCode }),
    ...(image && { image }),
  };
}

/** The container behind the task's target in a group; without a name to go by, the first essential container. */
function servingContainer(task: TaskRecord, targetGroupArn: string | undefined): TaskContainerRecord | undefined {
  const name = task.targets.find((t) => t.targetGroupArn === targetGroupArn)?.containerName;
  return (name !== undefined ? task.containers.find((c) => c.name === name) : undefined) ?? task.containers.find((c) => c.essential) ?? task.containers[0];
}
