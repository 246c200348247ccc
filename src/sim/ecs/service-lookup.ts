import { AwsError } from "../aws-error.js";
import { requireCluster } from "./lookup.js";
import type { ClusterRecord, EcsRegionState } from "./state.js";
import type { ServiceRecord } from "./service-model.js";

/** A service name or ARN (either ARN format) → the service's name. */
export function serviceNameOf(ref: string): string {
  const match = /^arn:aws[^:]*:ecs:[^:]*:[^:]*:service\/(?:[^/]+\/)?([^/]+)$/.exec(ref);
  return match?.[1] ?? ref;
}

export function serviceArn(state: EcsRegionState, cluster: ClusterRecord, name: string): string {
  return state.arn(`service/${cluster.name}/${name}`);
}

/** The service as stored, whatever its status; undefined once purged or never created. */
export function findService(state: EcsRegionState, cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
  return state.services.get(serviceArn(state, cluster, serviceNameOf(ref)));
}

/** Cluster and service for an operation that changes the service: AWS's errors when either is missing or gone. */
export function requireActiveService(state: EcsRegionState, clusterRef: string | undefined, serviceRef: string | undefined): ServiceRecord {
  const cluster = requireCluster(state, clusterRef);
  const service = serviceRef ? findService(state, cluster, serviceRef) : undefined;
  if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.");
  if (service.status !== "ACTIVE") throw new AwsError("ServiceNotActiveException", "Service was not ACTIVE.");
  return service;
}
