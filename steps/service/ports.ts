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
  /** AWS's time (the simulator's when it runs): what a deployment's record is stamped with, beside ECS's own. */
  clock: { now(): Date };
}

export function createServicePorts(clients: Pick<AwsClients, "ecs" | "elbv2" | "clock">): ServicePorts {
  return {
    services: new EcsServices(clients.ecs),
    taskDefinitions: new EcsTaskDefinitions(clients.ecs),
    targetGroups: new ElbTargetGroups(clients.elbv2),
    stoppedTasks: new EcsStoppedTasks(clients.ecs),
    history: new EcsServiceDeploymentHistory(clients.ecs),
    clock: clients.clock,
  };
}
