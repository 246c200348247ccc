import {
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  UpdateServicePrimaryTaskSetCommand,
  UpdateTaskSetCommand,
  type CreateTaskSetCommandInput,
  type ECSClient,
  type TaskSet,
} from "@aws-sdk/client-ecs";
import { awsErrorName, callAws } from "./call.js";

/**
 * What the task-set mode changes on an EXTERNAL service's task sets (seed 000: the five task set APIs; reads go
 * through DescribeServices, which lists a service's task sets without needing their ids). Translation only: which
 * set to create, scale or delete is the mode's policy.
 */
export interface TaskSetWriter {
  create(input: CreateTaskSetCommandInput): Promise<TaskSet>;
  /** UpdateTaskSet: the only thing a task set lets you change is its scale. */
  scale(cluster: string, service: string, taskSet: string, percent: number): Promise<TaskSet>;
  makePrimary(cluster: string, service: string, taskSet: string): Promise<TaskSet>;
  /** Deletes with force (its tasks are stopped); "not-found" when it is already gone, which is what deleting wanted. */
  delete(cluster: string, service: string, taskSet: string): Promise<"deleted" | "not-found">;
}

export class EcsTaskSets implements TaskSetWriter {
  constructor(private readonly ecs: ECSClient) {}

  async create(input: CreateTaskSetCommandInput): Promise<TaskSet> {
    const out = await callAws("CreateTaskSet", `${input.cluster ?? "default"}/${input.service ?? ""}`, () => this.ecs.send(new CreateTaskSetCommand(input)));
    if (!out.taskSet) throw new Error("CreateTaskSet answered without a task set");
    return out.taskSet;
  }

  async scale(cluster: string, service: string, taskSet: string, percent: number): Promise<TaskSet> {
    const out = await callAws("UpdateTaskSet", `${cluster}/${service}/${taskSet}`, () => this.ecs.send(new UpdateTaskSetCommand({ cluster, service, taskSet, scale: { unit: "PERCENT", value: percent } })));
    if (!out.taskSet) throw new Error("UpdateTaskSet answered without a task set");
    return out.taskSet;
  }

  async makePrimary(cluster: string, service: string, taskSet: string): Promise<TaskSet> {
    const out = await callAws("UpdateServicePrimaryTaskSet", `${cluster}/${service}/${taskSet}`, () => this.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster, service, primaryTaskSet: taskSet })));
    if (!out.taskSet) throw new Error("UpdateServicePrimaryTaskSet answered without a task set");
    return out.taskSet;
  }

  async delete(cluster: string, service: string, taskSet: string): Promise<"deleted" | "not-found"> {
    try {
      await callAws("DeleteTaskSet", `${cluster}/${service}/${taskSet}`, () => this.ecs.send(new DeleteTaskSetCommand({ cluster, service, taskSet, force: true })));
      return "deleted";
    } catch (error) {
      if (awsErrorName(error) === "TaskSetNotFoundException") return "not-found";
      throw error;
    }
  }
}
