import type { Deployment, DeploymentConfiguration, Service, Task, TaskSet } from "@aws-sdk/client-ecs";
import { runsOnFargate, usesStrategy } from "./capacity-strategy.js";
import { extrasView } from "./revision-extras.js";
import type { DeploymentRecord, DeploymentSettings, ServiceRecord, TaskRecord, TaskSetRecord, Workload } from "./service-model.js";
import { isPending, isRunning } from "./task-lifecycle.js";
import type { Sched } from "./world.js";

/** Records → the shapes AWS answers with. */

function counts(s: Sched, serviceArn: string, startedBy: string): { runningCount: number; pendingCount: number } {
  let runningCount = 0;
  let pendingCount = 0;
  for (const task of s.world.tasksOf(serviceArn)) {
    if (task.startedBy !== startedBy) continue;
    if (isRunning(task)) runningCount++;
    else if (isPending(task)) pendingCount++;
  }
  return { runningCount, pendingCount };
}

/**
 * A launch type or a strategy, whichever the workload runs on — AWS shows one, never both. On Fargate (either way)
 * the platform version is the one asked for, LATEST when none was.
 */
function workloadView(w: Workload) {
  return {
    ...(w.launchType !== undefined && { launchType: w.launchType as Service["launchType"] }),
    ...(usesStrategy(w) && { capacityProviderStrategy: w.capacityProviderStrategy }),
    ...(runsOnFargate(w) && { platformVersion: w.platformVersion ?? "LATEST", platformFamily: "Linux" }),
    ...(w.networkConfiguration !== undefined && { networkConfiguration: w.networkConfiguration }),
  };
}

export function deploymentView(s: Sched, service: ServiceRecord, d: DeploymentRecord): Deployment {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.desiredCount,
    ...counts(s, service.arn, d.id),
    failedTasks: d.failedTasks,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...workloadView(d),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    ...extrasView(d),
  };
}

export function taskSetView(s: Sched, service: ServiceRecord, set: TaskSetRecord, withTags: boolean): TaskSet {
  return {
    id: set.id,
    taskSetArn: set.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    // No startedBy: AWS fills it for CodeDeploy's task sets (CODE_DEPLOY) and leaves it out for an external
    // deployment's, which is every set CreateTaskSet makes; the external id is shown as externalId only.
    ...(set.externalId !== undefined && { externalId: set.externalId }),
    status: set.status,
    taskDefinition: set.taskDefinitionArn,
    computedDesiredCount: set.computedDesiredCount,
    ...counts(s, service.arn, set.id),
    createdAt: set.createdAt,
    updatedAt: set.updatedAt,
    ...workloadView(set),
    loadBalancers: set.loadBalancers,
    serviceRegistries: set.serviceRegistries ?? [],
    scale: set.scale,
    stabilityStatus: set.stabilityStatus,
    stabilityStatusAt: set.stabilityStatusAt,
    ...(withTags && { tags: s.state.tags.get(set.arn) ?? [] }),
  };
}

/** A service's (or service deployment's) deploymentConfiguration as AWS shows it; the native members only when set. */
export function deploymentConfigurationView(c: DeploymentSettings): DeploymentConfiguration {
  return {
    deploymentCircuitBreaker: c.deploymentCircuitBreaker,
    maximumPercent: c.maximumPercent,
    minimumHealthyPercent: c.minimumHealthyPercent,
    ...(c.alarms && { alarms: c.alarms }),
    strategy: c.strategy,
    ...(c.bakeTimeInMinutes !== undefined && { bakeTimeInMinutes: c.bakeTimeInMinutes }),
    ...(c.lifecycleHooks !== undefined && { lifecycleHooks: c.lifecycleHooks }),
    ...(c.linearConfiguration && { linearConfiguration: c.linearConfiguration }),
    ...(c.canaryConfiguration && { canaryConfiguration: c.canaryConfiguration }),
  };
}

export function serviceView(s: Sched, service: ServiceRecord, withTags: boolean): Service {
  const workload = service.workload;
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: workload?.loadBalancers ?? [],
    // EXTERNAL: each task set has its own registries; the service shows the primary's other parts only (seed 001).
    serviceRegistries: service.controller === "EXTERNAL" ? [] : (workload?.serviceRegistries ?? []),
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: service.runningCount,
    pendingCount: service.pendingCount,
    ...(workload && workloadView(workload)),
    ...(workload && { taskDefinition: workload.taskDefinitionArn }),
    deploymentConfiguration: deploymentConfigurationView(service.deploymentConfiguration),
    ...(service.controller === "EXTERNAL" && { taskSets: service.taskSets.map((t) => taskSetView(s, service, t, false)) }),
    deployments: service.controller === "EXTERNAL" ? [] : service.deployments.map((d) => deploymentView(s, service, d)),
    ...(service.controller !== "EXTERNAL" && service.deployments.find((d) => d.status === "PRIMARY") && { currentServiceDeployment: service.deployments.find((d) => d.status === "PRIMARY")?.serviceDeploymentArn }),
    ...(service.roleArn !== undefined && { roleArn: service.roleArn }),
    events: service.events.map((e) => ({ id: e.id, createdAt: e.createdAt, message: e.message })),
    createdAt: service.createdAt,
    placementConstraints: service.placementConstraints,
    placementStrategy: service.placementStrategy,
    ...(service.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }),
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: { type: service.controller },
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags ?? "NONE",
    enableExecuteCommand: service.enableExecuteCommand,
    availabilityZoneRebalancing: service.availabilityZoneRebalancing,
    ...(withTags && { tags: s.state.tags.get(service.arn) ?? [] }),
  };
}

export function taskView(s: Sched, task: TaskRecord, withTags: boolean): Task {
  const eni = `eni-${task.id.slice(0, 17)}`;
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    ...(task.startedBy !== "" && { startedBy: task.startedBy }),
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    ...(task.launchType !== undefined && { launchType: task.launchType as Task["launchType"] }),
    ...(task.capacityProviderName !== undefined && { capacityProviderName: task.capacityProviderName }),
    ...(task.platformVersion !== undefined && { platformVersion: task.platformVersion, platformFamily: "Linux" }),
    ...(task.cpu !== undefined && { cpu: task.cpu }),
    ...(task.memory !== undefined && { memory: task.memory }),
    availabilityZone: task.availabilityZone,
    connectivity: task.lastStatus === "PROVISIONING" ? "DISCONNECTED" : "CONNECTED",
    createdAt: task.createdAt,
    ...(task.pullStartedAt && { pullStartedAt: task.pullStartedAt }),
    ...(task.pullStoppedAt && { pullStoppedAt: task.pullStoppedAt }),
    ...(task.startedAt && { startedAt: task.startedAt }),
    ...(task.stoppingAt && { stoppingAt: task.stoppingAt, executionStoppedAt: task.stoppingAt }),
    ...(task.stoppedAt && { stoppedAt: task.stoppedAt }),
    ...(task.stopCode && { stopCode: task.stopCode }),
    ...(task.stoppedReason && { stoppedReason: task.stoppedReason }),
    attachments: [
      {
        id: eni,
        type: "ElasticNetworkInterface",
        status: task.lastStatus === "STOPPED" ? "DELETED" : "ATTACHED",
        details: [{ name: "privateIPv4Address", value: task.privateIp }],
      },
    ],
    containers: task.containers.map((c) => ({
      containerArn: `${task.arn.replace(":task/", ":container/")}/${c.name}`,
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      ...(c.exitCode !== undefined && { exitCode: c.exitCode }),
      ...(c.reason !== undefined && { reason: c.reason }),
      healthStatus: c.healthStatus,
      networkInterfaces: [{ attachmentId: eni, privateIpv4Address: task.privateIp }],
    })),
    ...(task.overrides && { overrides: task.overrides }),
    ...(task.enableExecuteCommand !== undefined && { enableExecuteCommand: task.enableExecuteCommand }),
    version: task.epoch + 1,
    ...(withTags && { tags: s.state.tags.get(task.arn) ?? [] }),
  };
}
