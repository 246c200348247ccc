import { AasScalableTargets, type ScalableTargets } from "../../src/aws/scalable-targets.js";
import type { AwsClients } from "../../src/aws/clients.js";
import { EcsServiceDeploymentHistory, type ServiceDeploymentHistory } from "../../src/aws/service-deployments.js";
import { EcsServices, type ServiceReader, type ServiceWriter } from "../../src/aws/services.js";
import { ElbTargetGroups, type TargetGroupResolver } from "../../src/aws/target-groups.js";
import { EcsStoppedTasks, type StoppedTasks } from "../../src/aws/tasks.js";
import { EcsTaskDefinitions, type TaskDefinitionReader } from "../../src/aws/task-definitions.js";

/** The narrow AWS ports the service step uses; the CLI and tests build them from one target's clients. */
export interface ServicePorts {
  services: ServiceReader & ServiceWriter;
  taskDefinitions: TaskDefinitionReader;
  targetGroups: TargetGroupResolver;
  stoppedTasks: StoppedTasks;
  history: ServiceDeploymentHistory;
  /** Whether Application Auto Scaling manages the service's desired count (then a deploy leaves it alone). */
  scaling: ScalableTargets;
  /** AWS's time (the simulator's when it runs): what a deployment's record is stamped with, beside ECS's own. */
  clock: { now(): Date };
}

export function createServicePorts(clients: Pick<AwsClients, "ecs" | "elbv2" | "clock" | "autoscaling">): ServicePorts {
  return {
    services: new EcsServices(clients.ecs),
    taskDefinitions: new EcsTaskDefinitions(clients.ecs),
    targetGroups: new ElbTargetGroups(clients.elbv2),
    stoppedTasks: new EcsStoppedTasks(clients.ecs),
    history: new EcsServiceDeploymentHistory(clients.ecs),
    scaling: new AasScalableTargets(clients.autoscaling),
    clock: clients.clock,
  };
}
