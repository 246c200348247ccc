import { addEvent, messages, subject } from "./events.js";
import type { DeploymentRecord, ServiceRecord, TaskRecord } from "./service-model.js";
import { beginStop, isHealthy, isLive, launchTask, stopCauses } from "./task-lifecycle.js";
import type { Sched } from "./world.js";

/**
 * The ECS (rolling update) controller: one reconcile pass over a service at `at`. It starts tasks of the PRIMARY
 * deployment while the service stays within maximumPercent of the desired count, stops older deployments' tasks
 * while at least minimumHealthyPercent stay healthy, and declares the deployment completed once the primary
 * alone runs the desired count healthily.
 */
export function reconcileRolling(s: Sched, service: ServiceRecord, at: Date): void {
  const primary = service.deployments.find((d) => d.status === "PRIMARY");
  if (!primary) return;
  // A first native deployment rolled back has no revision to run: it stays at zero until a new deployment.
  const desired = service.status === "ACTIVE" && !primary.nothingToRun ? service.desiredCount : 0;
  primary.desiredCount = desired;
  const tasks = [...s.world.tasksOf(service.arn)].filter(isLive);
  const ofPrimary = tasks.filter((t) => t.startedBy === primary.id);
  const old = tasks.filter((t) => t.startedBy !== primary.id);
  const who = subject(service);

  // Too many primary tasks (a scale-in): stop the least useful first — not yet healthy, then newest.
  const excess = ofPrimary.length - desired;
  if (excess > 0) {
    const victims = [...ofPrimary].sort(byStopPreference).slice(0, excess);
    stopAll(s, service, victims, at, primary.id);
    for (const v of victims) ofPrimary.splice(ofPrimary.indexOf(v), 1);
  }

  const { maximumPercent, minimumHealthyPercent } = service.deploymentConfiguration;
  const maxTasks = Math.max(Math.floor((desired * maximumPercent) / 100), desired > 0 && old.length === 0 ? desired : 0);
  const minHealthy = Math.ceil((desired * minimumHealthyPercent) / 100);

  // Old deployments' tasks that are not healthy help no one: stop them straight away.
  const oldUnhealthy = old.filter((t) => !isHealthy(t));
  // Then healthy old tasks, as long as the healthy total stays at or above the minimum.
  const healthyTotal = tasks.filter(isHealthy).length - excessHealthy(ofPrimary, desired);
  const oldHealthy = old.filter(isHealthy).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const canStop = Math.max(0, healthyTotal - minHealthy);
  const stopping = [...oldUnhealthy, ...oldHealthy.slice(0, canStop)];
  stopAll(s, service, stopping, at, primary.id);

  const live = ofPrimary.length + old.length - stopping.length;
  const toStart = Math.max(0, Math.min(desired - ofPrimary.length, maxTasks - live));
  if (toStart > 0) {
    const started: TaskRecord[] = [];
    for (let i = 0; i < toStart; i++) started.push(launchTask(s, service, { kind: "deployment", id: primary.id }, primary, at));
    addEvent(service, at, messages.started(who, started.map((t) => t.id)));
    service.steady = false;
  }

  shrinkOldDeployments(s, service, primary, at);
  completeIfDone(s, service, primary, at);
}

function excessHealthy(ofPrimary: TaskRecord[], desired: number): number {
  return Math.max(0, ofPrimary.filter(isHealthy).length - desired);
}

function byStopPreference(a: TaskRecord, b: TaskRecord): number {
  const health = Number(isHealthy(a)) - Number(isHealthy(b));
  return health !== 0 ? health : b.createdAt.getTime() - a.createdAt.getTime();
}

function stopAll(s: Sched, service: ServiceRecord, victims: TaskRecord[], at: Date, primaryId: string): void {
  if (victims.length === 0) return;
  for (const task of victims) beginStop(s, service, task, at, stopCauses.deployment(primaryId));
  addEvent(service, at, messages.stopped(subject(service), victims.map((t) => t.id)));
  service.steady = false;
}

/** An older deployment's desired count follows its draining tasks; once it runs none it leaves deployments[]. */
function shrinkOldDeployments(s: Sched, service: ServiceRecord, primary: DeploymentRecord, at: Date): void {
  const all = [...s.world.tasksOf(service.arn)];
  service.deployments = service.deployments.filter((d) => {
    if (d === primary) return true;
    const live = all.filter((t) => t.startedBy === d.id && isLive(t)).length;
    const stillStopping = all.some((t) => t.startedBy === d.id && !isLive(t) && t.lastStatus !== "STOPPED");
    if (d.desiredCount !== live) {
      d.desiredCount = live;
      d.updatedAt = at;
    }
    return live > 0 || stillStopping;
  });
}

function completeIfDone(s: Sched, service: ServiceRecord, primary: DeploymentRecord, at: Date): void {
  const all = [...s.world.tasksOf(service.arn)];
  const primaryTasks = all.filter((t) => t.startedBy === primary.id && isLive(t));
  const settled =
    service.deployments.length === 1 &&
    primaryTasks.length === primary.desiredCount &&
    primaryTasks.every(isHealthy) &&
    all.every((t) => isLive(t) || t.lastStatus === "STOPPED");
  if (!settled) return;
  const who = subject(service);
  if (primary.rolloutState === "IN_PROGRESS") {
    primary.rolloutState = "COMPLETED";
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = at;
    service.lastCompleted = { id: primary.id, revisionArn: primary.serviceRevisionArn };
    addEvent(service, at, messages.deploymentCompleted(who, primary.id));
    const record = s.world.serviceDeployments.get(primary.serviceDeploymentArn);
    if (record) {
      const rolledBack = record.status === "ROLLBACK_IN_PROGRESS";
      record.status = rolledBack ? "ROLLBACK_SUCCESSFUL" : "SUCCESSFUL";
      if (!rolledBack && record.circuitBreaker.status === "MONITORING") record.circuitBreaker.status = "MONITORING_COMPLETE";
      // No alarm fires here, so an alarm-watched deployment ends its watch as it completes (AWS's bake time is not modelled).
      if (!rolledBack && record.alarms.status === "MONITORING") record.alarms.status = "MONITORING_COMPLETE";
      record.finishedAt = at;
      record.updatedAt = at;
    }
  }
  if (!service.steady && service.status === "ACTIVE" && !primary.nothingToRun) {
    addEvent(service, at, messages.steady(who));
    service.steady = true;
  }
}
