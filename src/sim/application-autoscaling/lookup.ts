import type { ScalableDimension, ServiceNamespace } from "@aws-sdk/client-application-auto-scaling";
import type { CallContext } from "../module.js";
import { constraintViolations, unsupportedTarget } from "./errors.js";
import { idLength, oneOf, required, scalableDimensions, serviceNamespaces } from "./model.js";
import type { AutoScalingRegionState } from "./state.js";

/** The region's scalable targets, and the three members that name one target in Register and Deregister. */
export function autoscalingState(ctx: CallContext): AutoScalingRegionState {
  return ctx.sim.applicationAutoScaling.regions.get(ctx.region);
}

export interface TargetName {
  namespace: ServiceNamespace;
  resourceId: string;
  dimension: ScalableDimension;
}

interface NamingInput {
  ServiceNamespace?: unknown;
  ResourceId?: unknown;
  ScalableDimension?: unknown;
}

/**
 * ServiceNamespace, ResourceId and ScalableDimension checked against the model, then against each other: the
 * dimension starts with its namespace, and an ECS dimension's resource type ("service" in service/c/s) matches it.
 */
export function targetName(input: NamingInput): TargetName {
  const violations: string[] = [];
  const { ServiceNamespace: namespace, ResourceId: resourceId, ScalableDimension: dimension } = input;
  if (required(violations, "serviceNamespace", namespace)) oneOf(violations, "serviceNamespace", namespace, serviceNamespaces);
  if (required(violations, "resourceId", resourceId)) idLength(violations, "resourceId", resourceId);
  if (required(violations, "scalableDimension", dimension)) oneOf(violations, "scalableDimension", dimension, scalableDimensions);
  const invalid = constraintViolations(violations);
  if (invalid) throw invalid;
  // Every member passed its check above, so each is what the model says it is.
  const typed = { namespace: namespace as ServiceNamespace, resourceId: resourceId as string, dimension: dimension as ScalableDimension };
  const [dimensionNamespace, resourceType] = typed.dimension.split(":");
  if (dimensionNamespace !== typed.namespace) throw unsupportedTarget();
  if (typed.namespace === "ecs" && typed.resourceId.split("/")[0] !== resourceType) throw unsupportedTarget();
  return typed;
}
