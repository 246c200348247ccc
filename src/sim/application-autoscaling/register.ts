import type { RegisterScalableTargetRequest, RegisterScalableTargetResponse, SuspendedState } from "@aws-sdk/client-application-auto-scaling";
import { AwsError } from "../aws-error.js";
import type { CallContext } from "../module.js";
import { activeService, parseServiceResourceId, setDesiredCount } from "./ecs-link.js";
import { constraintViolations, ecsServiceMissing, maxBelowMin, namespaceNotSimulated, tagsOnExistingTarget, validation } from "./errors.js";
import { autoscalingState, targetName } from "./lookup.js";
import { capacity, idLength } from "./model.js";
import { withinBounds } from "./scaling-decision.js";
import { targetKey, type ScalableTargetRecord, type SuspendedFlags } from "./state.js";

/**
 * RegisterScalableTarget: creates a target, or updates one (only what the request names changes). For ECS AWS
 * checks that the service exists, ignores a RoleARN in favour of its service-linked role, and — on creation and
 * on every update alike — moves the service's desired count inside [min, max] when it lies outside. The simulator
 * does that at once through ECS's UpdateService; AWS does it shortly after answering.
 */
const ecsServiceLinkedRole = (account: string) =>
  `arn:aws:iam::${account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;

function flag(value: unknown, member: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new AwsError("SerializationException", `${member} must be a boolean`);
  return value;
}

/** A flag the request leaves out keeps its value (false on a new target), so suspending one leaves the others be. */
function suspendedFlags(given: SuspendedState | undefined, current: SuspendedFlags | undefined): SuspendedFlags {
  return {
    dynamicScalingIn: flag(given?.DynamicScalingInSuspended, "DynamicScalingInSuspended") ?? current?.dynamicScalingIn ?? false,
    dynamicScalingOut: flag(given?.DynamicScalingOutSuspended, "DynamicScalingOutSuspended") ?? current?.dynamicScalingOut ?? false,
    scheduledScaling: flag(given?.ScheduledScalingSuspended, "ScheduledScalingSuspended") ?? current?.scheduledScaling ?? false,
  };
}

function tagsOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new AwsError("SerializationException", "Tags must be a map of strings");
  }
  return { ...(value as Record<string, string>) };
}

function bounds(input: RegisterScalableTargetRequest, existing: ScalableTargetRecord | undefined): { min: number; max: number } {
  const min = capacity("MinCapacity", input.MinCapacity) ?? existing?.minCapacity;
  const max = capacity("MaxCapacity", input.MaxCapacity) ?? existing?.maxCapacity;
  if (min === undefined) throw validation("Minimum capacity must be specified");
  if (max === undefined) throw validation("Maximum capacity must be specified");
  // ECS services may scale to zero; AWS documents 0 as their lowest minimum.
  if (min < 0) throw validation("Minimum capacity cannot be less than 0");
  if (max < min) throw maxBelowMin();
  return { min, max };
}

export function registerScalableTarget(input: RegisterScalableTargetRequest, ctx: CallContext): RegisterScalableTargetResponse {
  const name = targetName(input);
  const violations: string[] = [];
  if (input.RoleARN !== undefined && input.RoleARN !== null) idLength(violations, "roleARN", input.RoleARN);
  const invalid = constraintViolations(violations);
  if (invalid) throw invalid;
  if (name.namespace !== "ecs") throw namespaceNotSimulated(name.namespace);

  const ref = parseServiceResourceId(name.resourceId);
  const service = ref && activeService(ctx.sim, ctx.region, ref);
  if (!service) throw ecsServiceMissing(name.resourceId);

  const state = autoscalingState(ctx);
  const key = targetKey(name.namespace, name.resourceId, name.dimension);
  const existing = state.targets.get(key);
  const tags = tagsOf(input.Tags);
  // Tags belong to creation; an existing target's are changed with TagResource, and AWS says so.
  if (existing && Object.keys(tags).length > 0) throw tagsOnExistingTarget();
  const { min, max } = bounds(input, existing);
  const suspended = suspendedFlags(input.SuspendedState, existing?.suspended);

  const record: ScalableTargetRecord = existing ?? {
    key,
    arn: state.newTargetArn(),
    namespace: name.namespace,
    resourceId: name.resourceId,
    dimension: name.dimension,
    minCapacity: min,
    maxCapacity: max,
    roleArn: ecsServiceLinkedRole(ctx.account),
    suspended,
    tags,
    createdAt: ctx.now,
  };
  record.minCapacity = min;
  record.maxCapacity = max;
  record.suspended = suspended;
  state.targets.set(key, record);

  setDesiredCount(ctx, service, withinBounds(service.desiredCount, min, max));
  return { ScalableTargetARN: record.arn };
}
