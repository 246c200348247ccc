import type { VpcLatticeConfiguration } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import { portNames } from "./port-names.js";
import type { TaskDefinitionRecord } from "./state.js";

/**
 * vpcLatticeConfigurations: the VPC Lattice target groups a service's tasks register in, by port mapping name.
 * Shown on the deployment (AWS's model); nothing registers here, there is no VPC Lattice. Messages are ours.
 */
export function validateVpcLattice(list: VpcLatticeConfiguration[], definition: TaskDefinitionRecord): VpcLatticeConfiguration[] {
  const names = portNames(definition);
  for (const config of list) {
    // All three members are required in AWS's model.
    if (!config.roleArn || !config.targetGroupArn || !config.portName) throw invalidParameter("roleArn, targetGroupArn and portName must be specified for each VPC Lattice configuration.");
    if (!names.has(config.portName)) {
      throw invalidParameter(`The portName ${config.portName} in the VPC Lattice configuration does not match the name of any port mapping in task definition ${definition.arn}.`);
    }
  }
  return structuredClone(list);
}
