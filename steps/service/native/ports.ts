import type { AwsClients } from "../../../src/aws/clients.js";
import { ElbListenerRules, type ListenerRules } from "../../../src/aws/listener-rules.js";
import { ElbListenerWeights, type ListenerWeights } from "../../../src/aws/listener-weights.js";
import { EcsServiceDeploymentControl, type ServiceDeploymentControl } from "../../../src/aws/service-deployment-control.js";
import { createServicePorts, type ServicePorts } from "../ports.js";

/** The service step's ports plus what ECS's own blue/green, linear and canary need: listener rules, their weights, and acting on a running deployment. */
export interface NativePorts extends ServicePorts {
  rules: ListenerRules;
  weights: ListenerWeights;
  control: ServiceDeploymentControl;
}

export function createNativePorts(clients: Pick<AwsClients, "ecs" | "elbv2" | "clock" | "autoscaling">, base: ServicePorts = createServicePorts(clients)): NativePorts {
  return { ...base, rules: new ElbListenerRules(clients.elbv2), weights: new ElbListenerWeights(clients.elbv2), control: new EcsServiceDeploymentControl(clients.ecs) };
}
