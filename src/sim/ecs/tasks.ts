import type {
  DescribeTasksRequest,
  DescribeTasksResponse,
  Failure,
  ListTasksRequest,
  ListTasksResponse,
  StopTaskRequest,
  StopTaskResponse,
  Task,
} from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { ecsState, requireCluster } from "./lookup.js";
import { paginate } from "../paging.js";
import { reconcileService } from "./scheduler.js";
import { findService } from "./service-lookup.js";
import type { TaskRecord } from "./service-model.js";
import type { ClusterRecord, EcsRegionState } from "./state.js";
import { beginStop, stopCauses } from "./task-lifecycle.js";
import { taskView } from "./service-view.js";
import { schedOf, serviceOfTask } from "./world.js";

/** A task id or ARN (old or new format) within the cluster → the task. */
function findTask(state: EcsRegionState, cluster: ClusterRecord, ref: string): TaskRecord | undefined {
  const id = ref.replace(/^arn:aws[^:]*:ecs:[^:]*:[^:]*:task\/(?:[^/]+\/)?/, "");
  const task = state.tasks.get(state.arn(`task/${cluster.name}/${id}`));
  return task && task.clusterArn === cluster.arn ? task : undefined;
}

function listTasks(input: ListTasksRequest, ctx: CallContext): ListTasksResponse {
  const state = ecsState(ctx);
  const cluster = requireCluster(state, input.cluster);
  let serviceArn: string | undefined;
  if (input.serviceName) {
    const service = findService(state, cluster, input.serviceName);
    if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.");
    serviceArn = service.arn;
  }
  const desired = input.desiredStatus ?? "RUNNING";
  const family = input.family?.replace(/^arn:.*task-definition\//, "").split(":")[0];
  const arns = [...state.tasks.values()]
    .filter((t) => t.clusterArn === cluster.arn && t.desiredStatus === desired)
    .filter((t) => !serviceArn || t.serviceArn === serviceArn)
    .filter((t) => !family || t.family === family)
    .filter((t) => !input.startedBy || t.startedBy === input.startedBy)
    .filter((t) => !input.launchType || t.launchType === input.launchType)
    .map((t) => t.arn)
    .sort();
  const page = paginate(arns, (arn) => arn, input, { max: 100, defaultSize: 100 });
  return { taskArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
}

function describeTasks(input: DescribeTasksRequest, ctx: CallContext): DescribeTasksResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const refs = input.tasks ?? [];
  if (refs.length === 0) throw invalidParameter("Tasks cannot be empty.");
  if (refs.length > 100) throw invalidParameter("Too many tasks were specified. A maximum of 100 tasks can be described at once.");
  const withTags = (input.include ?? []).includes("TAGS");
  const tasks: Task[] = [];
  const failures: Failure[] = [];
  for (const ref of refs) {
    const task = findTask(state, cluster, ref);
    if (task) tasks.push(taskView(s, task, withTags));
    else failures.push({ arn: ref.startsWith("arn:") ? ref : state.arn(`task/${cluster.name}/${ref}`), reason: "MISSING" });
  }
  return { tasks, failures };
}

/** StopTask: the task stops as the user asked; its service's scheduler then starts a replacement (a standalone task has none). */
function stopTask(input: StopTaskRequest, ctx: CallContext): StopTaskResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const task = input.task ? findTask(state, cluster, input.task) : undefined;
  if (!task) throw invalidParameter("The referenced task was not found.");
  const service = serviceOfTask(s, task);
  beginStop(s, service, task, ctx.now, stopCauses.user(input.reason));
  if (service) reconcileService(s, service, ctx.now);
  return { task: taskView(s, task, false) };
}

export const taskOperations: Record<string, Handler> = {
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  StopTask: stopTask,
};
