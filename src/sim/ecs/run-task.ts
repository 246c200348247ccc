import type { CapacityProviderStrategyItem, RunTaskRequest, RunTaskResponse, Tag, TaskDefinition, TaskOverride } from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { CallContext } from "../module.js";
import { nextProvider } from "./capacity-placement.js";
import { runsOnFargate } from "./capacity-strategy.js";
import { taskId } from "./ids.js";
import { ecsState, requireCluster, resolveTaskDefinition } from "./lookup.js";
import { placementAtCreate, type Placement } from "./service-capacity.js";
import type { TaskRecord } from "./service-model.js";
import { taskView } from "./service-view.js";
import type { ClusterRecord, EcsRegionState, TaskDefinitionRecord } from "./state.js";
import { containersOf, later, nextChange, PACE } from "./task-lifecycle.js";
import { validateTags } from "./tags.js";
import { validateNetwork } from "./workload-validation.js";
import { schedOf, type Sched } from "./world.js";

/**
 * RunTask: standalone tasks, the one-off kind (a database migration before a deploy). They walk the same life as a
 * service's tasks (task-lifecycle.ts) on the simulated clock, but belong to no service: nothing replaces them when
 * they stop. How one ends is up to its images (the faults control): an image given the "exit" behaviour ends by
 * itself with its exit code after its run time; a healthy one runs until StopTask; a crashing one exits with 1.
 *
 * Every task asked for is placed: the simulator has no container instances or capacity to run out of, so
 * `failures` is always empty (as for a service's tasks, EC2 tasks run without instances).
 */

const MAX_COUNT = 10;
const MAX_OVERRIDES_LENGTH = 8192;
const STARTED_BY = /^[A-Za-z0-9_/-]{1,128}$/;
const CLIENT_TOKEN = /^[\x21-\x7e]{1,64}$/;

/** What a clientToken was first used for: the request (less the token) and the tasks it started. */
interface TokenUse {
  request: string;
  taskArns: string[];
}

/** Per region: clientToken → its first use. Kept as long as the region's state (AWS documents no expiry). */
const tokens = new WeakMap<EcsRegionState, Map<string, TokenUse>>();

function tokensOf(state: EcsRegionState): Map<string, TokenUse> {
  let map = tokens.get(state);
  if (!map) {
    map = new Map();
    tokens.set(state, map);
  }
  return map;
}

/** JSON with object keys sorted, so the same request sent twice reads the same whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * An INACTIVE revision cannot start new tasks (AWS: "TaskDefinition is inactive"), though naming it explicitly finds
 * it; a bare family resolves to its newest ACTIVE revision only.
 */
function activeDefinition(state: EcsRegionState, ref: string | undefined): TaskDefinitionRecord {
  if (!ref) throw invalidParameter("TaskDefinition can not be blank.");
  const record = resolveTaskDefinition(state, ref);
  if (record.definition.status !== "ACTIVE") throw invalidParameter("TaskDefinition is inactive");
  return record;
}

function requireCountOf(count: number | undefined): number {
  const n = count ?? 1;
  // The model says "up to 10 tasks for each call"; the wording is the simulator's.
  if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) throw invalidParameter(`count must be between 1 and ${MAX_COUNT}.`);
  return n;
}

/** Overrides name containers of the task definition, and fit in 8192 characters of JSON (AWS's wording). */
function validateOverrides(overrides: TaskOverride | undefined, definition: TaskDefinition): void {
  if (!overrides) return;
  if (JSON.stringify(overrides).length > MAX_OVERRIDES_LENGTH) throw invalidParameter(`Container Overrides length must be at most ${MAX_OVERRIDES_LENGTH}`);
  const names = new Set((definition.containerDefinitions ?? []).map((c) => c.name));
  for (const override of overrides.containerOverrides ?? []) {
    if (!names.has(override.name)) throw invalidParameter(`Override for container named ${override.name ?? ""} is not a container in the TaskDefinition.`);
  }
}

/**
 * Where the tasks run, as CreateService decides it (placementAtCreate), then checked against the task definition:
 * Fargate needs a Fargate-compatible definition, awsvpc needs a network configuration and no other mode takes one.
 */
function placementFor(input: RunTaskRequest, cluster: ClusterRecord, record: TaskDefinitionRecord): Placement {
  const placement = placementAtCreate(input, cluster);
  const fargate = runsOnFargate(placement);
  if (fargate && !(record.definition.compatibilities ?? []).includes("FARGATE")) throw invalidParameter("Task definition does not support launch_type FARGATE.");
  validateNetwork(record, input.networkConfiguration, fargate ? "FARGATE" : placement.launchType);
  const mode = record.definition.networkMode ?? (fargate ? "awsvpc" : "bridge");
  if (mode !== "awsvpc" && input.networkConfiguration?.awsvpcConfiguration) throw invalidParameter("Network Configuration is not valid for the given networkMode of this task definition.");
  return placement;
}

/** The tags a task starts with: the task definition's when propagated (TASK_DEFINITION), then those given. */
function tagsFor(state: EcsRegionState, input: RunTaskRequest, record: TaskDefinitionRecord): Tag[] {
  const given = validateTags(input.tags);
  if (input.propagateTags === "SERVICE") throw invalidParameter("The SERVICE option of propagateTags is for services; a task started by RunTask has no service to take tags from.");
  const merged = new Map<string, string>();
  if (input.propagateTags === "TASK_DEFINITION") for (const t of state.tags.get(record.arn) ?? []) merged.set(t.key ?? "", t.value ?? "");
  for (const t of given) merged.set(t.key ?? "", t.value ?? "");
  if (merged.size > 50) throw invalidParameter("A resource can have at most 50 tags.");
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** One standalone task, PROVISIONING at `at`; the timeline walks it on from there (advanceTask). */
function startTask(s: Sched, cluster: ClusterRecord, record: TaskDefinitionRecord, input: RunTaskRequest, placement: Placement, provider: string | undefined, at: Date): TaskRecord {
  const definition = record.definition;
  const id = taskId();
  const launchType = provider !== undefined ? "FARGATE" : placement.launchType;
  const liveInCluster = [...s.state.tasks.values()].filter((t) => t.clusterArn === cluster.arn && t.lastStatus !== "STOPPED").length;
  const task: TaskRecord = {
    arn: s.state.arn(`task/${cluster.name}/${id}`),
    id,
    clusterArn: cluster.arn,
    taskDefinitionArn: record.arn,
    family: record.family,
    group: input.group ?? `family:${record.family}`,
    startedBy: input.startedBy ?? "",
    owner: { kind: "standalone", id: "" },
    ...(launchType !== undefined && { launchType }),
    ...(provider !== undefined && { capacityProviderName: provider }),
    ...(runsOnFargate(placement) && { platformVersion: input.platformVersion && input.platformVersion !== "LATEST" ? input.platformVersion : "1.4.0" }),
    ...((input.overrides?.cpu ?? definition.cpu) !== undefined && { cpu: input.overrides?.cpu ?? definition.cpu }),
    ...((input.overrides?.memory ?? definition.memory) !== undefined && { memory: input.overrides?.memory ?? definition.memory }),
    availabilityZone: `${s.state.region}${["a", "b", "c"][liveInCluster % 3] ?? "a"}`,
    privateIp: s.world.allocateIp(),
    lastStatus: "PROVISIONING",
    desiredStatus: "RUNNING",
    healthStatus: "UNKNOWN",
    createdAt: at,
    ...containersOf(s, definition),
    targets: [],
    failed: false,
    epoch: 0,
    overrides: {
      ...input.overrides,
      // AWS lists every container of the definition, with whatever was overridden for it.
      containerOverrides: (definition.containerDefinitions ?? []).map((c) => ({ ...input.overrides?.containerOverrides?.find((o) => o.name === c.name), name: c.name })),
      inferenceAcceleratorOverrides: input.overrides?.inferenceAcceleratorOverrides ?? [],
    },
    enableExecuteCommand: input.enableExecuteCommand ?? false,
  };
  s.state.tasks.set(task.arn, task);
  nextChange(s, task, later(at, PACE.provisioningSeconds));
  return task;
}

function runTask(input: RunTaskRequest, ctx: CallContext): RunTaskResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const token = input.clientToken;
  if (token !== undefined && token !== null && !CLIENT_TOKEN.test(token)) throw invalidParameter("clientToken must be 1 to 64 characters in the range 33-126.");
  const { clientToken: _token, ...rest } = input;
  const request = canonical({ ...rest, cluster: cluster.arn });
  const used = token ? tokensOf(state).get(token) : undefined;
  if (used) {
    // The same request again answers the tasks it started; another request with the token is a conflict.
    if (used.request !== request) throw new AwsError("ConflictException", `The specified client token is already in use with a different RunTask request (tasks ${used.taskArns.join(", ")}).`);
    const tasks = used.taskArns.map((arn) => state.tasks.get(arn)).filter((t): t is TaskRecord => t !== undefined);
    return { tasks: tasks.map((t) => taskView(s, t, false)), failures: [] };
  }

  const record = activeDefinition(state, input.taskDefinition);
  const count = requireCountOf(input.count);
  if (input.startedBy !== undefined && input.startedBy !== null && !STARTED_BY.test(input.startedBy)) {
    throw invalidParameter("startedBy can have up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slashes (/) and underscores (_).");
  }
  if (input.group !== undefined && input.group !== null && (input.group.length < 1 || input.group.length > 255)) throw invalidParameter("group must be between 1 and 255 characters.");
  if ((input.placementConstraints ?? []).length > 10) throw invalidParameter("placementConstraints can have at most 10 items.");
  if ((input.placementStrategy ?? []).length > 5) throw invalidParameter("placementStrategy can have at most 5 items.");
  const placement = placementFor(input, cluster, record);
  validateOverrides(input.overrides, record.definition);
  const tags = tagsFor(state, input, record);

  const strategy: CapacityProviderStrategyItem[] = placement.capacityProviderStrategy ?? [];
  const placed = new Map<string, number>();
  const tasks: TaskRecord[] = [];
  for (let i = 0; i < count; i++) {
    // Under a strategy the tasks of one call are spread over its providers by base and weight.
    const provider = strategy.length > 0 ? nextProvider(strategy, placed) : undefined;
    if (provider !== undefined) placed.set(provider, (placed.get(provider) ?? 0) + 1);
    const task = startTask(s, cluster, record, input, placement, provider, ctx.now);
    if (tags.length > 0) state.tags.set(task.arn, tags);
    tasks.push(task);
  }
  if (token) tokensOf(state).set(token, { request, taskArns: tasks.map((t) => t.arn) });
  return { tasks: tasks.map((t) => taskView(s, t, false)), failures: [] };
}

export const runTaskOperations = { RunTask: runTask };
