import type { ServiceRegistry } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { TaskDefinitionRecord } from "./state.js";

/**
 * serviceRegistries: the Cloud Map service a service's (or an EXTERNAL task set's) tasks register in. Stored and
 * shown; there is no Cloud Map here. The rules are CreateService's and ServiceRegistry's documentation; the
 * messages are ours.
 */
export function validateServiceRegistries(list: ServiceRegistry[], definition: TaskDefinitionRecord): ServiceRegistry[] {
  // "Each service may be associated with one service registry."
  if (list.length > 1) throw invalidParameter("Only one service registry can be specified for a service.");
  for (const registry of list) {
    if (!registry.registryArn) throw invalidParameter("registryArn must be specified for a service registry.");
    if (registry.containerName === undefined && registry.containerPort === undefined) continue;
    const container = definition.definition.containerDefinitions?.find((c) => c.name === registry.containerName);
    if (!container) throw invalidParameter(`The container ${registry.containerName ?? ""} does not exist in the task definition.`);
    if (registry.containerPort !== undefined && !(container.portMappings ?? []).some((p) => p.containerPort === registry.containerPort)) {
      throw invalidParameter(`The container ${container.name ?? ""} did not have a container port ${registry.containerPort} defined.`);
    }
    // awsvpc: "you must specify either a containerName and containerPort combination or a port value. However, you can't specify both."
    if (registry.port !== undefined && registry.containerPort !== undefined) {
      throw invalidParameter("Specify either port or a containerName and containerPort combination for a service registry, not both.");
    }
  }
  return structuredClone(list);
}
