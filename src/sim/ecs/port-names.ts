import type { TaskDefinitionRecord } from "./state.js";

/**
 * The names of a task definition's port mappings, over all its containers. Service Connect and VPC Lattice both
 * pick a port by this name (PortMapping.name in AWS's model: "the name that you use in the
 * serviceConnectConfiguration and the vpcLatticeConfigurations of a service").
 */
export function portNames(definition: TaskDefinitionRecord): Set<string> {
  const names = new Set<string>();
  for (const container of definition.definition.containerDefinitions ?? []) {
    for (const mapping of container.portMappings ?? []) if (mapping.name) names.add(mapping.name);
  }
  return names;
}
