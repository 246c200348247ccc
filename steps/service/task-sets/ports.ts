import type { AwsClients } from "../../../src/aws/clients.js";
import { ElbListenerRules, type ListenerRules } from "../../../src/aws/listener-rules.js";
import { ElbListenerWeights, type ListenerWeights } from "../../../src/aws/listener-weights.js";
import { EcsTaskSets, type TaskSetWriter } from "../../../src/aws/task-sets.js";
import { createServicePorts, type ServicePorts } from "../ports.js";

/** The service step's ports plus the three a task-set deployment adds: task sets, forward weights, listener rules (verification). */
export interface TaskSetPorts extends ServicePorts {
  taskSets: TaskSetWriter;
  weights: ListenerWeights;
  rules: ListenerRules;
}

export function createTaskSetPorts(clients: Pick<AwsClients, "ecs" | "elbv2" | "clock" | "autoscaling">, base: ServicePorts = createServicePorts(clients)): TaskSetPorts {
  return { ...base, taskSets: new EcsTaskSets(clients.ecs), weights: new ElbListenerWeights(clients.elbv2), rules: new ElbListenerRules(clients.elbv2) };
}
