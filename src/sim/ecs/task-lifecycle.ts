import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { nextProvider } from "./capacity-placement.js";
import { runsOnFargate } from "./capacity-strategy.js";
import { findTaskDefinition } from "./lookup.js";
import { containerCheck, hasEssentialCheck, taskHealthOf, verdictOf } from "./container-health.js";
import { addEvent, addTargetEvent, messages, subject } from "./events.js";
import { taskId } from "./ids.js";
import { secretsFailure } from "./task-secrets.js";
import type { ServiceRecord, TaskRecord, TaskStatus, Workload } from "./service-model.js";
import type { Sched } from "./world.js";

/**
 * How a task walks through its life, in simulated seconds. Real Fargate tasks take tens of seconds to start;
 * these keep the shape (and the order of states AWS reports) while letting a test jump ahead cheaply.
 *
 *   PROVISIONING --5s--> PENDING --15s--> RUNNING
 *   PROVISIONING --5s--> stopped before it starts when a secret its containers name cannot be fetched
 *   RUNNING --10s--> stopped by itself when its image "crashes"
 *   RUNNING --runSeconds--> stopped by itself when an essential container's image "exits" (with its exit code)
 *   stopping: DEACTIVATING (only when behind a load balancer) --5s, or until its targets have drained--> STOPPING
 *             --5s--> DEPROVISIONING --5s--> STOPPED
 *   STOPPED tasks stay describable for an hour, as in AWS.
 * DEACTIVATING lasts until every target of the task has finished draining — the group's deregistration delay
 * (deregistration_delay.timeout_seconds, 300 by default; a group no listener uses drops its targets at once) — and
 * at least deactivatingSeconds, as ECS "waits for the connections to drain" before it sends SIGTERM (STOPPING).
 * Without a load balancer a task counts as healthy 15 s after it turned RUNNING (a crashing one never does).
 * Behind a load balancer the scheduler reads target health every 5 s until the target settles.
 * A task with an essential container that has a health check counts as healthy only once it is HEALTHY too (and,
 * without a load balancer, as soon as it is): container-health.ts times the checks.
 */
export const PACE = {
  provisioningSeconds: 5,
  pendingSeconds: 15,
  crashAfterRunningSeconds: 10,
  /** The least a task behind a load balancer stays DEACTIVATING; its targets' draining can make it longer. */
  deactivatingSeconds: 5,
  stoppingSeconds: 5,
  deprovisioningSeconds: 5,
  healthPollSeconds: 5,
  /** Without a load balancer, how long a task must stay RUNNING before the scheduler counts it healthy. */
  stabilizeSeconds: 15,
  /** A target still "initial" after this long is given up on and polled no more (the ELB never answered). */
  healthPollGiveUpSeconds: 3600,
  stoppedRetentionSeconds: 3600,
} as const;

const AZS = ["a", "b", "c"];

export interface StopCause {
  stopCode: NonNullable<TaskRecord["stopCode"]>;
  reason: string;
  /** True for a failure the circuit breaker counts (the task died or failed its health checks). */
  failed: boolean;
  exitCode?: number;
  /** The container that exited with exitCode; without one, every container of the task did (a crash). */
  container?: string;
}

export const stopCauses = {
  crashed: (): StopCause => ({ stopCode: "EssentialContainerExited", reason: "Essential container in task exited", failed: true, exitCode: 1 }),
  /** An essential container ended by itself; for a service that is a task lost, whatever the code. */
  exited: (container: string, exitCode: number): StopCause => ({ stopCode: "EssentialContainerExited", reason: "Essential container in task exited", failed: true, exitCode, container }),
  secretsUnavailable: (reason: string): StopCause => ({ stopCode: "TaskFailedToStart", reason, failed: true }),
  unhealthy: (targetGroupArn: string): StopCause => ({
    stopCode: "ServiceSchedulerInitiated",
    reason: `Task failed ELB health checks in (target-group ${targetGroupArn})`,
    failed: true,
  }),
  /**
   * An essential container failed its health checks: the service scheduler stops the task and replaces it (AWS:
   * HealthCheck in the model, "For tasks that are part of a service, if the task reports as unhealthy then the task
   * will be stopped and the service scheduler will replace it"). [unconfirmed wording] AWS's troubleshooting guide
   * (knowledge center, "Why is my Amazon ECS task stopped?") names "Failed container health checks" as a stop reason;
   * the exact stoppedReason is as users report it, beside "Task failed ELB health checks".
   */
  failedContainerHealthChecks: (): StopCause => ({ stopCode: "ServiceSchedulerInitiated", reason: "Task failed container health checks", failed: true }),
  deployment: (deploymentId: string): StopCause => ({ stopCode: "ServiceSchedulerInitiated", reason: `Scaling activity initiated by (deployment ${deploymentId})`, failed: false }),
  user: (reason?: string): StopCause => ({ stopCode: "UserInitiated", reason: reason ?? "Task stopped by user", failed: false }),
};

export const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

/** Schedules the task's next change of state at `at`; any change scheduled before is void from now on. */
export function nextChange(s: Sched, task: TaskRecord, at: Date): void {
  task.epoch += 1;
  s.world.timeline.schedule(at, { kind: "task", taskArn: task.arn, epoch: task.epoch });
}

/** Starts one task of `workload` for the service at `at`. The caller reports the start in the service's events. */
export function launchTask(s: Sched, service: ServiceRecord, owner: TaskRecord["owner"], workload: Workload, at: Date): TaskRecord {
  const definition: TaskDefinition = findTaskDefinition(s.state, workload.taskDefinitionArn)?.definition ?? {};
  const id = taskId();
  const targets = workload.loadBalancers
    .filter((lb) => lb.targetGroupArn)
    .map((lb) => ({ targetGroupArn: lb.targetGroupArn as string, port: lb.containerPort ?? 80, ...(lb.containerName && { containerName: lb.containerName }), registered: false }));
  const task: TaskRecord = {
    arn: s.state.arn(`task/${service.clusterName}/${id}`),
    id,
    clusterArn: service.clusterArn,
    serviceArn: service.arn,
    serviceName: service.name,
    taskDefinitionArn: workload.taskDefinitionArn,
    family: definition.family ?? workload.taskDefinitionArn.replace(/^.*task-definition\//, "").split(":")[0] ?? "",
    group: `service:${service.name}`,
    startedBy: owner.id,
    owner,
    ...capacityOf(s, service, owner, workload),
    ...(definition.cpu !== undefined && { cpu: definition.cpu }),
    ...(definition.memory !== undefined && { memory: definition.memory }),
    availabilityZone: `${s.state.region}${AZS[s.world.tasksOf(service.arn).size % AZS.length] ?? "a"}`,
    privateIp: s.world.allocateIp(),
    lastStatus: "PROVISIONING",
    desiredStatus: "RUNNING",
    healthStatus: "UNKNOWN",
    createdAt: at,
    ...containersOf(s, definition),
    targets,
    failed: false,
    epoch: 0,
  };
  s.state.tasks.set(task.arn, task);
  s.world.tasksOf(service.arn).add(task);
  nextChange(s, task, later(at, PACE.provisioningSeconds));
  return task;
}

/**
 * A new task's containers, and how their images behave (the faults control): one crashing image crashes the task,
 * one unhealthy image fails its load balancer health checks. Failing those, the essential container whose image
 * exits soonest ends the task then. A container with a health check passes or fails it by its own image's behaviour.
 */
export function containersOf(s: Sched, definition: TaskDefinition): Pick<TaskRecord, "containers" | "behaviour" | "exit"> {
  const defs = definition.containerDefinitions ?? [];
  const behaviours = defs.map((c) => s.sim.faults.imageBehaviour(c.image ?? ""));
  const behaviour = behaviours.includes("crash") ? "crash" : behaviours.includes("unhealthy") ? "unhealthy" : "healthy";
  const containers = defs.map((c, i) => {
    const check = containerCheck(c, behaviours[i] ?? "healthy");
    return { name: c.name ?? "app", image: c.image ?? "", essential: c.essential !== false, lastStatus: "PENDING", healthStatus: "UNKNOWN" as const, ...(check && { healthCheck: check }) };
  });
  let exit: TaskRecord["exit"];
  if (behaviour !== "crash") {
    for (const c of defs) {
      const ends = c.essential !== false ? s.sim.faults.imageExit(c.image ?? "") : undefined;
      if (ends && (!exit || ends.runSeconds < exit.runSeconds)) exit = { container: c.name ?? "app", ...ends };
    }
  }
  return { containers, behaviour, ...(exit && { exit }) };
}

/**
 * Where the task runs: its launch type, or under a strategy the provider its deployment or task set should fill
 * next (capacity-placement.ts) — a FARGATE_SPOT task is still a FARGATE launch-type task. Fargate tasks run a
 * concrete platform version; LATEST resolves to 1.4.0.
 */
function capacityOf(s: Sched, service: ServiceRecord, owner: TaskRecord["owner"], workload: Workload): Pick<TaskRecord, "launchType" | "capacityProviderName" | "platformVersion"> {
  let capacityProviderName: string | undefined;
  const strategy = workload.capacityProviderStrategy ?? [];
  if (strategy.length > 0) {
    const running = new Map<string, number>();
    for (const task of s.world.tasksOf(service.arn)) {
      if (task.startedBy !== owner.id || !isLive(task) || !task.capacityProviderName) continue;
      running.set(task.capacityProviderName, (running.get(task.capacityProviderName) ?? 0) + 1);
    }
    capacityProviderName = nextProvider(strategy, running);
  }
  const launchType = capacityProviderName !== undefined ? "FARGATE" : workload.launchType;
  return {
    ...(launchType !== undefined && { launchType }),
    ...(capacityProviderName !== undefined && { capacityProviderName }),
    ...(runsOnFargate(workload) && { platformVersion: workload.platformVersion && workload.platformVersion !== "LATEST" ? workload.platformVersion : "1.4.0" }),
  };
}

/** A task the scheduler counts towards the desired count: not yet told to stop. */
export const isLive = (task: TaskRecord) => task.desiredStatus === "RUNNING";
export const isPending = (task: TaskRecord) => isLive(task) && (task.lastStatus === "PROVISIONING" || task.lastStatus === "PENDING" || task.lastStatus === "ACTIVATING");
export const isRunning = (task: TaskRecord) => task.lastStatus === "RUNNING";
/** Healthy for the scheduler: RUNNING and, behind a load balancer, its targets healthy; with container health checks, HEALTHY. */
export const isHealthy = (task: TaskRecord) => isLive(task) && task.lastStatus === "RUNNING" && task.healthyAt !== undefined;

function setContainers(task: TaskRecord, lastStatus: string, exitCode?: number, reason?: string, only?: string): void {
  for (const container of task.containers) {
    if (only !== undefined && container.name !== only) continue;
    container.lastStatus = lastStatus;
    if (exitCode !== undefined) container.exitCode = exitCode;
    if (reason !== undefined) container.reason = reason;
  }
}

/** What happened to a task during one step, for the scheduler to react to. */
export type TaskChange = "running" | "healthy" | "stopping" | "stopped" | "none";

/** Applies the task's next scheduled change at `at`. */
export function advanceTask(s: Sched, service: ServiceRecord | undefined, task: TaskRecord, at: Date): TaskChange {
  const status: TaskStatus = task.lastStatus;
  if (task.desiredStatus === "RUNNING") {
    if (status === "PROVISIONING") {
      const secretsProblem = secretsFailure(s.sim, findTaskDefinition(s.state, task.taskDefinitionArn)?.definition.containerDefinitions ?? [], s.state.region, at);
      if (secretsProblem) {
        beginStop(s, service, task, at, stopCauses.secretsUnavailable(secretsProblem));
        return "stopping";
      }
      task.lastStatus = "PENDING";
      task.pullStartedAt = at;
      nextChange(s, task, later(at, PACE.pendingSeconds));
      return "none";
    }
    if (status === "PENDING") return markRunning(s, service, task, at);
    if (status === "RUNNING" && task.behaviour === "crash") {
      beginStop(s, service, task, at, stopCauses.crashed());
      return "stopping";
    }
    if (status === "RUNNING" && task.exit) {
      beginStop(s, service, task, at, stopCauses.exited(task.exit.container, task.exit.exitCode));
      return "stopping";
    }
    return "none";
  }
  switch (status) {
    case "DEACTIVATING":
      task.lastStatus = "STOPPING";
      task.stoppedServingAt ??= at;
      nextChange(s, task, later(at, PACE.stoppingSeconds));
      return "none";
    case "STOPPING":
      task.lastStatus = "DEPROVISIONING";
      // A container that exited has its exit code already; the others end on SIGTERM (code 0) — unless the task never
      // started, when none has a code.
      for (const container of task.containers) {
        if (container.lastStatus === "STOPPED") continue;
        container.lastStatus = "STOPPED";
        if (task.stopCode !== "TaskFailedToStart") container.exitCode = 0;
      }
      nextChange(s, task, later(at, PACE.deprovisioningSeconds));
      return "none";
    case "DEPROVISIONING":
      task.lastStatus = "STOPPED";
      task.stoppedAt = at;
      // Its containers' health, and so the task's, stays as last reported: AWS does not say it is reset, and the
      // stopped task then still shows why it was stopped.
      s.world.timeline.schedule(later(at, PACE.stoppedRetentionSeconds), { kind: "purge-task", taskArn: task.arn });
      return "stopped";
    default:
      return "none";
  }
}

function markRunning(s: Sched, service: ServiceRecord | undefined, task: TaskRecord, at: Date): TaskChange {
  task.lastStatus = "RUNNING";
  task.pullStoppedAt = at;
  task.startedAt = at;
  setContainers(task, "RUNNING");
  if (task.behaviour === "crash") nextChange(s, task, later(at, PACE.crashAfterRunningSeconds));
  else if (task.exit) nextChange(s, task, later(at, task.exit.runSeconds));
  // Each checked container's verdict, due when its checks reach it; a later change of state (stopping) voids it.
  for (const container of task.containers) {
    if (container.healthCheck) s.world.timeline.schedule(later(at, verdictOf(container.healthCheck).afterSeconds), { kind: "container-health", taskArn: task.arn, epoch: task.epoch, container: container.name });
  }
  const checked = hasEssentialCheck(task.containers);
  if (task.targets.length === 0) {
    // AWS (minimumHealthyPercent in the model): without a load balancer, a task whose essential containers have no
    // health check counts once it has stayed RUNNING a while (AWS: 40 s; here stabilizeSeconds), long enough that a
    // container which exits straight after starting never does; one with a health check counts once it is HEALTHY.
    if (checked) task.settledAt = at;
    else s.world.timeline.schedule(later(at, PACE.stabilizeSeconds), { kind: "health", taskArn: task.arn, epoch: task.epoch });
    return "running";
  }
  for (const target of task.targets) {
    s.sim.elbv2.registerTarget(
      s.state.region,
      target.targetGroupArn,
      { id: task.privateIp, port: target.port, taskArn: task.arn, passesHealthCheck: task.behaviour !== "unhealthy" },
      at,
    );
    target.registered = true;
    if (service) addTargetEvent(service, at, subject(service, task.owner.kind === "taskSet" ? task.owner.id : undefined), "registered", target.targetGroupArn);
  }
  s.world.timeline.schedule(later(at, PACE.healthPollSeconds), { kind: "health", taskArn: task.arn, epoch: task.epoch });
  return "running";
}

/**
 * Healthy for the scheduler once settled (targets healthy, or RUNNING long enough without a load balancer) and, when
 * an essential container has a health check, HEALTHY as well (AWS: minimumHealthyPercent in the model, "the service
 * scheduler will wait for both the task to reach a healthy status and the load balancer target group health check to
 * return a healthy status").
 */
function becomeHealthy(task: TaskRecord, at: Date): TaskChange {
  if (task.healthyAt !== undefined || task.settledAt === undefined) return "none";
  if (hasEssentialCheck(task.containers) && task.healthStatus !== "HEALTHY") return "none";
  task.healthyAt = at;
  return "healthy";
}

/**
 * Reads the task's target health at `at`. Healthy targets settle the task (healthy for the scheduler, once HEALTHY
 * too when its containers are checked); an unhealthy one stops the task once the service's health check grace
 * period (counted from the task's start) is over. Target health is not the task's healthStatus: that is its
 * containers' (checkContainerHealth).
 */
export function checkTargetHealth(s: Sched, service: ServiceRecord | undefined, task: TaskRecord, at: Date): TaskChange {
  if (!isLive(task) || task.lastStatus !== "RUNNING" || task.settledAt !== undefined) return "none";
  if (task.targets.length === 0) {
    task.settledAt = at;
    return becomeHealthy(task, at);
  }
  const states = task.targets.map((t) => ({ target: t, state: s.sim.elbv2.targetHealth(s.state.region, t.targetGroupArn, task.privateIp, t.port, at) }));
  const unhealthy = states.find((t) => t.state === "unhealthy");
  if (unhealthy) {
    const graceEnds = later(task.startedAt ?? at, service?.healthCheckGracePeriodSeconds ?? 0);
    if (at.getTime() < graceEnds.getTime()) {
      s.world.timeline.schedule(graceEnds, { kind: "health", taskArn: task.arn, epoch: task.epoch });
      return "none";
    }
    if (service) {
      const who = subject(service, task.owner.kind === "taskSet" ? task.owner.id : undefined);
      addEvent(service, at, messages.unhealthy(who, task.id, unhealthy.target.port, unhealthy.target.targetGroupArn));
    }
    beginStop(s, service, task, at, stopCauses.unhealthy(unhealthy.target.targetGroupArn));
    if (service) addEvent(service, at, messages.stopped(subject(service, task.owner.kind === "taskSet" ? task.owner.id : undefined), [task.id]));
    return "stopping";
  }
  // "unused" means the group has no listener in front of it; ECS then has nothing to wait for.
  if (states.every((t) => t.state === "healthy" || t.state === "unused")) {
    task.settledAt = at;
    return becomeHealthy(task, at);
  }
  const waited = (at.getTime() - (task.startedAt ?? at).getTime()) / 1000;
  if (waited < PACE.healthPollGiveUpSeconds) s.world.timeline.schedule(later(at, PACE.healthPollSeconds), { kind: "health", taskArn: task.arn, epoch: task.epoch });
  return "none";
}

/**
 * A checked container's verdict is due at `at` (container-health.ts timed it): its healthStatus, and with it the
 * task's, leave UNKNOWN. An UNHEALTHY task of a service is stopped and replaced once the service's health check grace
 * period is over (AWS: healthCheckGracePeriodSeconds in the model, which the scheduler applies to "unhealthy Elastic
 * Load Balancing, VPC Lattice, and container health checks"); a standalone task is only marked (AWS: HealthCheck in
 * the model, "If a task is run manually, and not as part of a service, the task will continue its lifecycle
 * regardless of its health status").
 */
export function checkContainerHealth(s: Sched, service: ServiceRecord | undefined, task: TaskRecord, containerName: string, at: Date): TaskChange {
  const container = task.containers.find((c) => c.name === containerName);
  if (!container?.healthCheck || !isLive(task) || task.lastStatus !== "RUNNING") return "none";
  container.healthStatus = container.healthCheck.passes ? "HEALTHY" : "UNHEALTHY";
  task.healthStatus = taskHealthOf(task.containers);
  if (task.healthStatus !== "UNHEALTHY") return becomeHealthy(task, at);
  if (!service) return "none";
  const graceEnds = later(task.startedAt ?? at, service.healthCheckGracePeriodSeconds ?? 0);
  if (at.getTime() < graceEnds.getTime()) {
    // Looked at again when the grace period ends; by then its verdict is the same.
    s.world.timeline.schedule(graceEnds, { kind: "container-health", taskArn: task.arn, epoch: task.epoch, container: containerName });
    return "none";
  }
  const who = subject(service, task.owner.kind === "taskSet" ? task.owner.id : undefined);
  addEvent(service, at, messages.failedContainerHealthChecks(who, task.id));
  beginStop(s, service, task, at, stopCauses.failedContainerHealthChecks());
  addEvent(service, at, messages.stopped(who, [task.id]));
  return "stopping";
}

/** Tells a task to stop at `at`: its targets are deregistered and it walks down to STOPPED. */
export function beginStop(s: Sched, service: ServiceRecord | undefined, task: TaskRecord, at: Date, cause: StopCause): void {
  if (task.desiredStatus === "STOPPED") return;
  task.desiredStatus = "STOPPED";
  task.stoppingAt = at;
  task.stopCode = cause.stopCode;
  task.stoppedReason = cause.reason;
  task.failed = cause.failed;
  if (cause.exitCode !== undefined) {
    // An essential container exited: whatever it was serving is cut now, not when the task is wound down.
    setContainers(task, "STOPPED", cause.exitCode, undefined, cause.container);
    task.stoppedServingAt = at;
  }
  const registered = task.targets.filter((t) => t.registered);
  // ECS waits for every target to finish draining (the group's deregistration delay) before it signals the containers.
  let drained = later(at, PACE.deactivatingSeconds).getTime();
  for (const target of registered) {
    drained = Math.max(drained, s.sim.elbv2.deregisterTarget(s.state.region, target.targetGroupArn, task.privateIp, target.port, at).getTime());
    target.registered = false;
    if (service) addTargetEvent(service, at, subject(service, task.owner.kind === "taskSet" ? task.owner.id : undefined), "deregistered", target.targetGroupArn);
  }
  if (registered.length > 0) {
    task.lastStatus = "DEACTIVATING";
    nextChange(s, task, new Date(drained));
  } else {
    task.lastStatus = "STOPPING";
    task.stoppedServingAt ??= at;
    nextChange(s, task, later(at, PACE.stoppingSeconds));
  }
}
