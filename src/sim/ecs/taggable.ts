import type { EcsRegionState } from "./state.js";

/** Which ECS resource a tagging ARN names, and whether it exists. */
export type TaggableLookup = { arn: string } | "malformed" | "cluster-missing" | "missing";

const ecsArn = /^arn:aws[^:]*:ecs:[^:]*:[^:]*:([a-z-]+)\/(.+)$/;

export function findTaggable(state: EcsRegionState, resourceArn: string): TaggableLookup {
  const match = ecsArn.exec(resourceArn);
  if (!match) return "malformed";
  const [, kind, rest = ""] = match;
  const [clusterName, serviceName] = rest.split("/");
  const clusterExists = () => {
    const cluster = clusterName ? state.clusters.get(clusterName) : undefined;
    return cluster?.status === "ACTIVE";
  };
  switch (kind) {
    case "cluster":
      return clusterExists() ? { arn: resourceArn } : "cluster-missing";
    case "task-definition": {
      const [family, revisionText] = rest.split(":");
      const revision = Number(revisionText);
      const record = family && Number.isInteger(revision) ? state.taskDefinitions.get(family)?.[revision - 1] : undefined;
      return record && record.definition.status !== "DELETE_IN_PROGRESS" ? { arn: record.arn } : "missing";
    }
    case "service": {
      if (!clusterExists()) return "cluster-missing";
      const service = state.services.get(resourceArn);
      return service && service.status !== "INACTIVE" ? { arn: resourceArn } : "missing";
    }
    case "task-set": {
      // arn:...:task-set/<cluster>/<service>/<task set id>; the task set lives on its service's record.
      if (!clusterExists()) return "cluster-missing";
      const serviceArn = state.arn(`service/${clusterName ?? ""}/${serviceName ?? ""}`);
      const taskSet = state.services.get(serviceArn)?.taskSets.find((t) => t.arn === resourceArn);
      return taskSet ? { arn: resourceArn } : "missing";
    }
    case "task":
      if (!clusterExists()) return "cluster-missing";
      return state.tasks.has(resourceArn) ? { arn: resourceArn } : "missing";
    default:
      return "malformed";
  }
}
