import { addEvent, messages, subject } from "./events.js";
import type { ServiceRecord, TaskRecord, TaskSetRecord } from "./service-model.js";
import { beginStop, isHealthy, isLive, isPending, launchTask, stopCauses } from "./task-lifecycle.js";
import type { Sched } from "./world.js";

/** A task set runs scale% of the service's desired count, rounded up (AWS: computedDesiredCount). */
export function computedDesiredCount(service: ServiceRecord, set: TaskSetRecord): number {
  if (set.status === "DRAINING" || service.status !== "ACTIVE") return 0;
  return Math.ceil((set.scale.value / 100) * service.desiredCount);
}

/**
 * The EXTERNAL controller's scheduler: each task set is kept at its computed desired count — maximumPercent
 * does not apply (seed 000) — and a DRAINING set leaves the service once its last task has stopped.
 */
export function reconcileTaskSets(s: Sched, service: ServiceRecord, at: Date): void {
  const all = [...s.world.tasksOf(service.arn)];
  for (const set of [...service.taskSets]) {
    const computed = computedDesiredCount(service, set);
    if (set.status !== "DRAINING" && set.computedDesiredCount !== computed) {
      set.computedDesiredCount = computed;
      set.updatedAt = at;
    }
    const who = subject(service, set.id);
    const mine = all.filter((t) => t.startedBy === set.id);
    const live = mine.filter(isLive);
    if (live.length > computed) {
      const victims = [...live].sort(byStopPreference).slice(0, live.length - computed);
      for (const task of victims) beginStop(s, service, task, at, stopCauses.deployment(set.id));
      addEvent(service, at, messages.stopped(who, victims.map((t) => t.id)));
    } else if (live.length < computed) {
      const started: TaskRecord[] = [];
      for (let i = live.length; i < computed; i++) started.push(launchTask(s, service, { kind: "taskSet", id: set.id }, set, at));
      addEvent(service, at, messages.started(who, started.map((t) => t.id)));
    }
    if (set.status === "DRAINING") {
      if (mine.every((t) => t.lastStatus === "STOPPED")) service.taskSets.splice(service.taskSets.indexOf(set), 1);
      continue;
    }
    const current = mine.filter(isLive);
    const steady = current.length === computed && current.every(isHealthy) && !current.some(isPending) && mine.every((t) => isLive(t) || t.lastStatus === "STOPPED");
    const stability = steady ? "STEADY_STATE" : "STABILIZING";
    if (set.stabilityStatus !== stability) {
      set.stabilityStatus = stability;
      set.stabilityStatusAt = at;
      if (steady) addEvent(service, at, messages.steady(who));
    }
  }
  const settled = service.taskSets.length > 0 && service.taskSets.every((t) => t.stabilityStatus === "STEADY_STATE");
  if (settled && !service.steady && service.status === "ACTIVE") {
    addEvent(service, at, messages.steady(subject(service)));
    service.steady = true;
  } else if (!settled) {
    service.steady = false;
  }
}

function byStopPreference(a: TaskRecord, b: TaskRecord): number {
  const health = Number(isHealthy(a)) - Number(isHealthy(b));
  return health !== 0 ? health : b.createdAt.getTime() - a.createdAt.getTime();
}
