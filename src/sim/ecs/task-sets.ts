import type {
  CreateTaskSetRequest,
  CreateTaskSetResponse,
  DeleteTaskSetRequest,
  DeleteTaskSetResponse,
  DescribeTaskSetsRequest,
  DescribeTaskSetsResponse,
  Failure,
  Scale,
  TaskSet,
  UpdateServicePrimaryTaskSetRequest,
  UpdateServicePrimaryTaskSetResponse,
  UpdateTaskSetRequest,
  UpdateTaskSetResponse,
} from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { runsOnFargate } from "./capacity-strategy.js";
import { ecsState, requireCluster, resolveTaskDefinition } from "./lookup.js";
import { deploymentId } from "./ids.js";
import { workloadOf } from "./deployments.js";
import { reconcileService } from "./scheduler.js";
import { findService, requireActiveService } from "./service-lookup.js";
import type { ServiceRecord, TaskSetRecord } from "./service-model.js";
import { placementAtCreate } from "./service-capacity.js";
import { validateServiceRegistries } from "./service-registries.js";
import { computedDesiredCount } from "./task-set-scheduler.js";
import { taskSetView } from "./service-view.js";
import { validateLoadBalancers, validateNetwork } from "./workload-validation.js";
import { schedOf } from "./world.js";

/** AWS's limit, undocumented but enforced (seed 000). */
export const MAX_TASK_SETS = 5;

const notExternal = () => invalidParameter("Amazon ECS only supports task set management on services configured to use external deployment controllers.");
const taskSetNotFound = () => new AwsError("TaskSetNotFoundException", "The specified task set does not exist.");

/** The service for a task set call: it must exist, be ACTIVE and use the EXTERNAL controller. */
function externalService(ctx: CallContext, cluster: string | undefined, service: string | undefined): ServiceRecord {
  const record = requireActiveService(ecsState(ctx), cluster, service);
  if (record.controller !== "EXTERNAL") throw notExternal();
  return record;
}

/** A task set id (ecs-svc/...) or ARN → the service's task set. */
function findTaskSet(service: ServiceRecord, ref: string | undefined): TaskSetRecord | undefined {
  if (!ref) return undefined;
  return service.taskSets.find((t) => t.id === ref || t.arn === ref);
}

function requireScale(scale: Scale | undefined): TaskSetRecord["scale"] {
  const value = scale?.value ?? 100;
  if ((scale?.unit ?? "PERCENT") !== "PERCENT") throw invalidParameter("Scale unit must be PERCENT.");
  if (typeof value !== "number" || Number.isNaN(value) || value < 0 || value > 100) throw invalidParameter("Scale value must be between 0 and 100.");
  return { unit: "PERCENT", value };
}

function createTaskSet(input: CreateTaskSetRequest, ctx: CallContext): CreateTaskSetResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const service = externalService(ctx, input.cluster, input.service);
  if (input.clientToken) {
    const same = service.taskSets.find((t) => t.clientToken === input.clientToken);
    if (same) return { taskSet: taskSetView(s, service, same, false) };
  }
  if (service.taskSets.length >= MAX_TASK_SETS) {
    throw invalidParameter(`${service.taskSets.length} deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.`);
  }
  const definition = resolveTaskDefinition(state, input.taskDefinition);
  const loadBalancers = input.loadBalancers ?? [];
  if (loadBalancers.length > 1) throw invalidParameter("Only one target group can be specified for a task set.");
  // A task set chooses where it runs as a service does (CreateTaskSet documents the same fallbacks).
  const placement = placementAtCreate(input, requireCluster(state, service.clusterArn));
  validateNetwork(definition, input.networkConfiguration, runsOnFargate(placement) ? "FARGATE" : placement.launchType);
  const id = deploymentId();
  const set: TaskSetRecord = {
    taskDefinitionArn: definition.arn,
    loadBalancers: validateLoadBalancers(ctx, loadBalancers, definition),
    ...placement,
    ...(input.platformVersion !== undefined && { platformVersion: input.platformVersion }),
    ...(input.networkConfiguration !== undefined && { networkConfiguration: input.networkConfiguration }),
    // The task set's own Cloud Map registry (CreateTaskSet takes serviceRegistries; the EXTERNAL service does not).
    ...((input.serviceRegistries ?? []).length > 0 && { serviceRegistries: validateServiceRegistries(input.serviceRegistries ?? [], definition) }),
    id,
    arn: state.arn(`task-set/${service.clusterName}/${service.name}/${id}`),
    // The first task set is not primary either until UpdateServicePrimaryTaskSet names it (seed 000).
    status: "ACTIVE",
    scale: requireScale(input.scale),
    computedDesiredCount: 0,
    ...(input.externalId !== undefined && { externalId: input.externalId }),
    ...(input.clientToken !== undefined && { clientToken: input.clientToken }),
    stabilityStatus: "STABILIZING",
    stabilityStatusAt: ctx.now,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  set.computedDesiredCount = computedDesiredCount(service, set);
  service.taskSets.push(set);
  service.steady = false;
  if (input.tags?.length) state.tags.set(set.arn, input.tags);
  reconcileService(s, service, ctx.now);
  return { taskSet: taskSetView(s, service, set, false) };
}

function describeTaskSets(input: DescribeTaskSetsRequest, ctx: CallContext): DescribeTaskSetsResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const service = input.service ? findService(state, cluster, input.service) : undefined;
  if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.");
  if (service.status === "INACTIVE") throw new AwsError("ServiceNotActiveException", "Service was not ACTIVE.");
  if (service.controller !== "EXTERNAL") throw notExternal();
  const withTags = (input.include ?? []).includes("TAGS");
  if (!input.taskSets?.length) return { taskSets: service.taskSets.map((t) => taskSetView(s, service, t, withTags)), failures: [] };
  const taskSets: TaskSet[] = [];
  const failures: Failure[] = [];
  for (const ref of input.taskSets) {
    const set = findTaskSet(service, ref);
    if (set) taskSets.push(taskSetView(s, service, set, withTags));
    else failures.push({ arn: ref, reason: "MISSING" });
  }
  return { taskSets, failures };
}

/** UpdateTaskSet changes the scale only; the scheduler then starts or stops tasks to match. */
function updateTaskSet(input: UpdateTaskSetRequest, ctx: CallContext): UpdateTaskSetResponse {
  const s = schedOf(ecsState(ctx), ctx.sim);
  const service = externalService(ctx, input.cluster, input.service);
  const set = findTaskSet(service, input.taskSet);
  if (!set) throw taskSetNotFound();
  if (set.status === "DRAINING") throw invalidParameter("The task set is being deleted and cannot be updated.");
  set.scale = requireScale(input.scale);
  set.computedDesiredCount = computedDesiredCount(service, set);
  set.updatedAt = ctx.now;
  service.steady = false;
  reconcileService(s, service, ctx.now);
  return { taskSet: taskSetView(s, service, set, false) };
}

/**
 * The named set becomes PRIMARY and the former primary ACTIVE; the service then reports the primary's task
 * definition, launch type, platform version, load balancers and network configuration (seed 001).
 */
function updateServicePrimaryTaskSet(input: UpdateServicePrimaryTaskSetRequest, ctx: CallContext): UpdateServicePrimaryTaskSetResponse {
  const s = schedOf(ecsState(ctx), ctx.sim);
  const service = externalService(ctx, input.cluster, input.service);
  const set = findTaskSet(service, input.primaryTaskSet);
  if (!set) throw taskSetNotFound();
  if (set.status === "DRAINING") throw invalidParameter("The task set is being deleted and cannot be made primary.");
  for (const other of service.taskSets) {
    if (other !== set && other.status === "PRIMARY") {
      other.status = "ACTIVE";
      other.updatedAt = ctx.now;
    }
  }
  set.status = "PRIMARY";
  set.updatedAt = ctx.now;
  service.workload = workloadOf(set);
  return { taskSet: taskSetView(s, service, set, false) };
}

/**
 * DeleteTaskSet: never the primary; without force, only a set scaled down to zero. The set turns DRAINING, its
 * tasks are stopped (and their targets deregistered), and it disappears once the last task has stopped.
 */
function deleteTaskSet(input: DeleteTaskSetRequest, ctx: CallContext): DeleteTaskSetResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const service = externalService(ctx, input.cluster, input.service);
  const set = findTaskSet(service, input.taskSet);
  if (!set) throw taskSetNotFound();
  if (set.status === "PRIMARY") throw invalidParameter("Primary TaskSet cannot be deleted");
  if (!input.force && set.status !== "DRAINING" && set.computedDesiredCount > 0) {
    throw invalidParameter("The task set cannot be deleted while it is scaled above 0. Scale it to 0 or use force.");
  }
  set.status = "DRAINING";
  set.computedDesiredCount = 0;
  set.updatedAt = ctx.now;
  const view = taskSetView(s, service, set, false);
  reconcileService(s, service, ctx.now);
  state.tags.delete(set.arn);
  return { taskSet: view };
}

export const taskSetOperations: Record<string, Handler> = {
  CreateTaskSet: createTaskSet,
  DescribeTaskSets: describeTaskSets,
  UpdateTaskSet: updateTaskSet,
  UpdateServicePrimaryTaskSet: updateServicePrimaryTaskSet,
  DeleteTaskSet: deleteTaskSet,
};
