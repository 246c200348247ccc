import type { CallContext } from "../module.js";
import type { Simulator } from "../simulator.js";
import { findService } from "../ecs/service-lookup.js";
import type { ServiceRecord } from "../ecs/service-model.js";
import { updateService } from "../ecs/service-update.js";

/**
 * Where Application Auto Scaling meets ECS: an ECS scalable target is named "service/<cluster>/<service>", and
 * scaling it is an UpdateService of the desired count. The change goes through ECS's own UpdateService, so the
 * scheduler starts or stops tasks and writes the service's events exactly as for a caller's UpdateService.
 */
export const ECS_DIMENSION = "ecs:service:DesiredCount";

export interface ServiceRef {
  cluster: string;
  service: string;
}

export const serviceResourceId = (ref: ServiceRef) => `service/${ref.cluster}/${ref.service}`;

/** "service/<cluster>/<service>" → its names; undefined for anything else (an ARN in place of a name included). */
export function parseServiceResourceId(resourceId: string): ServiceRef | undefined {
  const match = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
  return match?.[1] && match[2] ? { cluster: match[1], service: match[2] } : undefined;
}

/** The service as ECS keeps it, while both it and its cluster are ACTIVE; a deleted (DRAINING, INACTIVE) one is not. */
export function activeService(sim: Simulator, region: string, ref: ServiceRef): ServiceRecord | undefined {
  const state = sim.ecs.regions.get(region);
  const cluster = state.clusters.get(ref.cluster);
  if (!cluster || cluster.status !== "ACTIVE") return undefined;
  const service = findService(state, cluster, ref.service);
  return service?.status === "ACTIVE" ? service : undefined;
}

/** Sets the service's desired count through ECS's UpdateService path; the count ECS then holds. */
export function setDesiredCount(ctx: CallContext, service: ServiceRecord, desiredCount: number): number {
  if (desiredCount === service.desiredCount) return desiredCount;
  updateService({ cluster: service.clusterName, service: service.name, desiredCount }, ctx);
  return service.desiredCount;
}

/**
 * ECS documents that Application Auto Scaling turns scale-in off while an ECS deployment is in progress (scale-out
 * goes on): here, while the rolling controller's primary deployment has not completed.
 */
export function deploymentInProgress(service: ServiceRecord): boolean {
  return service.deployments.some((d) => d.status === "PRIMARY" && d.rolloutState === "IN_PROGRESS");
}
