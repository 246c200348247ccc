import { AwsError, clientException } from "../aws-error.js";
import type { CallContext } from "../module.js";
import type { ClusterRecord, EcsRegionState, TaskDefinitionRecord } from "./state.js";

/** The ECS world of the region the call is made in. */
export function ecsState(ctx: CallContext): EcsRegionState {
  return ctx.sim.ecs.regions.get(ctx.region);
}

/** A cluster name or ARN → the name, which keys state.clusters. */
export function clusterNameOf(ref: string): string {
  return ref.replace(/^arn:aws[^:]*:ecs:[^:]*:[^:]*:cluster\//, "");
}

/** Name or ARN → cluster; AWS's own error when it does not exist. Absent means "default". */
export function requireCluster(state: EcsRegionState, ref: string | undefined): ClusterRecord {
  const name = clusterNameOf(ref ?? "default");
  const cluster = state.clusters.get(name);
  if (!cluster || cluster.status !== "ACTIVE") throw new AwsError("ClusterNotFoundException", "Cluster not found.");
  return cluster;
}

/**
 * "family" (newest ACTIVE revision), "family:revision" or a full ARN → the revision. An INACTIVE revision can
 * still be named explicitly, as in AWS; a bare family with no ACTIVE revision cannot.
 */
export function findTaskDefinition(state: EcsRegionState, ref: string): TaskDefinitionRecord | undefined {
  const bare = ref.replace(/^arn:aws[^:]*:ecs:[^:]*:[^:]*:task-definition\//, "");
  const [family, revisionText] = bare.split(":");
  const revisions = family ? state.taskDefinitions.get(family) : undefined;
  if (!revisions) return undefined;
  if (revisionText === undefined) {
    return [...revisions].reverse().find((r) => r.definition.status === "ACTIVE");
  }
  const revision = Number(revisionText);
  const record = Number.isInteger(revision) ? revisions[revision - 1] : undefined;
  return record && record.definition.status !== "DELETE_IN_PROGRESS" ? record : undefined;
}

export function resolveTaskDefinition(state: EcsRegionState, ref: string | undefined): TaskDefinitionRecord {
  if (!ref) throw clientException("TaskDefinition not found.");
  const record = findTaskDefinition(state, ref);
  if (!record) throw clientException("Unable to describe task definition.");
  return record;
}
