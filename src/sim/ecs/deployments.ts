import { deploymentId, revisionNumber, serviceDeploymentId } from "./ids.js";
import { extrasOf } from "./revision-extras.js";
import { findTaskDefinition } from "./lookup.js";
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord, ServiceRevisionRecord, Workload } from "./service-model.js";
import { isLive } from "./task-lifecycle.js";
import { startNative } from "./native-controller.js";
import type { Sched } from "./world.js";

/**
 * Starting a deployment of the ECS controller: a new service revision (what is deployed), a service deployment
 * (the act of deploying it, seed 002) and a PRIMARY entry in the service's deployments[].
 */

/** Just the workload part of a deployment, task set or revision, as an independent copy. */
export function workloadOf(w: Workload): Workload {
  return {
    taskDefinitionArn: w.taskDefinitionArn,
    loadBalancers: structuredClone(w.loadBalancers),
    ...(w.launchType !== undefined && { launchType: w.launchType }),
    ...(w.platformVersion !== undefined && { platformVersion: w.platformVersion }),
    ...(w.capacityProviderStrategy !== undefined && { capacityProviderStrategy: structuredClone(w.capacityProviderStrategy) }),
    ...(w.networkConfiguration !== undefined && { networkConfiguration: structuredClone(w.networkConfiguration) }),
    ...extrasOf(w),
  };
}

/**
 * ContainerImages: "Amazon ECS resolves container image names and any image tags specified in the task definition
 * to container image digests" when the revision is made. The digest comes from the simulated ECR; an image it does
 * not hold (another registry, or not pushed) is shown without one.
 */
function containerImagesOf(s: Sched, workload: Workload): ServiceRevisionRecord["containerImages"] {
  const containers = findTaskDefinition(s.state, workload.taskDefinitionArn)?.definition.containerDefinitions ?? [];
  return containers.map((c) => {
    const digest = c.image ? s.sim.ecr.resolveImage(s.state.region, c.image)?.imageDigest : undefined;
    return { containerName: c.name, image: c.image, ...(digest !== undefined && { imageDigest: digest }) };
  });
}

/** Circuit breaker threshold: half the desired count rounded up, never below 3 nor above 200 (AWS). */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

export function revisionArn(s: Sched, service: ServiceRecord, id: string): string {
  return s.state.arn(`service-revision/${service.clusterName}/${service.name}/${revisionNumber(id)}`);
}

function recordRevision(s: Sched, service: ServiceRecord, id: string, workload: Workload, at: Date): string {
  const arn = revisionArn(s, service, id);
  s.world.revisions.set(arn, { ...workloadOf(workload), arn, serviceArn: service.arn, clusterArn: service.clusterArn, createdAt: at, containerImages: containerImagesOf(s, workload) });
  s.world.revisionOfDeployment.set(id, arn);
  return arn;
}

/** The deployments that still run tasks, as the sources a new service deployment moves away from. */
function sourcesOf(s: Sched, service: ServiceRecord): ServiceDeploymentRecord["sources"] {
  const live = [...s.world.tasksOf(service.arn)].filter(isLive);
  return service.deployments
    .filter((d) => live.some((t) => t.startedBy === d.id) || d.desiredCount > 0)
    .map((d) => ({ revisionArn: d.serviceRevisionArn, deploymentId: d.id }));
}

/** A new PRIMARY deployment of `workload`; the former primary turns ACTIVE and is drained by the scheduler. */
export function startDeployment(s: Sched, service: ServiceRecord, given: Workload, at: Date): DeploymentRecord {
  const workload = workloadOf(given);
  const id = deploymentId();
  const revision = recordRevision(s, service, id, workload, at);
  const sources = sourcesOf(s, service);
  for (const previous of service.deployments) {
    if (previous.status === "PRIMARY") previous.status = "ACTIVE";
    previous.updatedAt = at;
    const superseded = s.world.serviceDeployments.get(previous.serviceDeploymentArn);
    if (superseded && (superseded.status === "IN_PROGRESS" || superseded.status === "PENDING")) {
      superseded.status = "STOPPED";
      superseded.statusReason = "Service deployment stopped because a new service deployment was started.";
      superseded.stoppedAt = at;
      superseded.updatedAt = at;
      // [INFERENCE] a new deployment stops a native one where it stands; its tasks become the new one's blue.
      if (superseded.native) {
        superseded.native.active = false;
        superseded.native.hooks = [];
      }
    }
  }
  const settings = service.deploymentConfiguration;
  const serviceDeploymentArn = s.state.arn(`service-deployment/${service.clusterName}/${service.name}/${serviceDeploymentId()}`);
  s.world.serviceDeployments.set(serviceDeploymentArn, {
    arn: serviceDeploymentArn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: at,
    startedAt: at,
    updatedAt: at,
    status: "IN_PROGRESS",
    sources,
    targetRevisionArn: revision,
    deploymentId: id,
    deploymentConfiguration: structuredClone(settings),
    circuitBreaker: {
      status: settings.deploymentCircuitBreaker.enable ? "MONITORING" : "DISABLED",
      failureCount: 0,
      threshold: settings.deploymentCircuitBreaker.enable ? circuitBreakerThreshold(service.desiredCount) : 0,
    },
    alarms: { status: settings.alarms?.enable ? "MONITORING" : "DISABLED", alarmNames: [...(settings.alarms?.alarmNames ?? [])] },
  });
  const deployment: DeploymentRecord = {
    ...workloadOf(workload),
    id,
    status: "PRIMARY",
    desiredCount: service.desiredCount,
    failedTasks: 0,
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: `ECS deployment ${id} in progress.`,
    createdAt: at,
    updatedAt: at,
    serviceRevisionArn: revision,
    serviceDeploymentArn,
  };
  service.deployments.unshift(deployment);
  service.workload = workloadOf(workload);
  service.steady = false;
  const record = s.world.serviceDeployments.get(serviceDeploymentArn);
  if (record && settings.strategy !== "ROLLING") startNative(s, service, record, deployment, at);
  return deployment;
}

/**
 * The circuit breaker's rollback: a new PRIMARY deployment of the last completed revision. It carries the failed
 * service deployment (which ends ROLLBACK_SUCCESSFUL when it completes) instead of starting one of its own.
 */
export function startRollback(s: Sched, service: ServiceRecord, failed: DeploymentRecord, target: { id: string; revisionArn: string }, at: Date): DeploymentRecord {
  const revision = s.world.revisions.get(target.revisionArn);
  const workload = workloadOf(revision ?? (service.workload as Workload));
  const id = deploymentId();
  s.world.revisionOfDeployment.set(id, target.revisionArn);
  failed.status = "ACTIVE";
  failed.updatedAt = at;
  const deployment: DeploymentRecord = {
    ...workload,
    id,
    status: "PRIMARY",
    desiredCount: service.desiredCount,
    failedTasks: 0,
    rolloutState: "IN_PROGRESS",
    rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`,
    createdAt: at,
    updatedAt: at,
    serviceRevisionArn: target.revisionArn,
    serviceDeploymentArn: failed.serviceDeploymentArn,
  };
  service.deployments.unshift(deployment);
  service.workload = workloadOf(workload);
  service.steady = false;
  return deployment;
}
