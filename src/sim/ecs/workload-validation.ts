import type { LoadBalancer, NetworkConfiguration } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { CallContext } from "../module.js";
import { validateAdvancedConfiguration } from "./native-settings.js";
import type { TaskDefinitionRecord } from "./state.js";

/**
 * Checks the load balancers a service or task set names, as ECS does at create time: the target group must
 * exist and sit behind a load balancer, and the container and port must be in the task definition.
 */
export function validateLoadBalancers(ctx: CallContext, loadBalancers: LoadBalancer[], definition: TaskDefinitionRecord): LoadBalancer[] {
  return loadBalancers.map((lb) => {
    if (!lb.targetGroupArn) throw invalidParameter("targetGroupArn must be specified for an Application or Network Load Balancer.");
    const group = ctx.sim.elbv2.targetGroup(ctx.region, lb.targetGroupArn);
    if (!group) {
      throw invalidParameter("Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.");
    }
    if (group.loadBalancerArns.length === 0) {
      throw invalidParameter(`The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`);
    }
    const container = definition.definition.containerDefinitions?.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName ?? ""} does not exist in the task definition.`);
    const ports = (container.portMappings ?? []).map((p) => p.containerPort);
    if (lb.containerPort === undefined || !ports.includes(lb.containerPort)) {
      throw invalidParameter(`The container ${lb.containerName ?? ""} did not have a container port ${lb.containerPort ?? ""} defined.`);
    }
    const advancedConfiguration = validateAdvancedConfiguration(ctx, lb);
    return { targetGroupArn: lb.targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort, ...(advancedConfiguration && { advancedConfiguration }) };
  });
}

/** awsvpc tasks get their own network interface and so need subnets (AWS refuses them without). */
export function validateNetwork(definition: TaskDefinitionRecord, networkConfiguration: NetworkConfiguration | undefined, launchType: string | undefined): void {
  const mode = definition.definition.networkMode ?? (launchType === "FARGATE" ? "awsvpc" : "bridge");
  if (mode === "awsvpc" && !networkConfiguration?.awsvpcConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (networkConfiguration?.awsvpcConfiguration && (networkConfiguration.awsvpcConfiguration.subnets ?? []).length === 0) {
    throw invalidParameter("subnets can not be empty.");
  }
}
