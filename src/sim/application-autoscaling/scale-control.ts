import { AwsError } from "../aws-error.js";
import { clusterNameOf } from "../ecs/lookup.js";
import { serviceNameOf } from "../ecs/service-lookup.js";
import type { ControlHandler } from "../module.js";
import { activeService, deploymentInProgress, ECS_DIMENSION, serviceResourceId, setDesiredCount } from "./ecs-link.js";
import { autoscalingState } from "./lookup.js";
import { decideScaling, type NotScaledReason } from "./scaling-decision.js";
import { targetKey } from "./state.js";

/**
 * POST /_sim/autoscaling/scale {cluster, service, desiredCount} — not an AWS API. It stands in for a
 * target-tracking alarm: the simulator has no CloudWatch metrics, so a test or demo says what desired count a
 * policy would ask for, and Application Auto Scaling applies it under the target's rules (scaling-decision.ts)
 * through ECS's UpdateService. Answers the service's desired count afterwards, whether it changed, and why not.
 */
export interface ScaleReply {
  desiredCount: number;
  applied: boolean;
  reason?: NotScaledReason;
}

function name(value: unknown, field: string, nameOf: (ref: string) => string): string {
  if (typeof value !== "string" || value === "") throw new AwsError("BadRequest", `${field} must name an ECS ${field} (its name or ARN)`);
  return nameOf(value);
}

export const scaleControl: ControlHandler = (body: { cluster?: unknown; service?: unknown; desiredCount?: unknown }, ctx): ScaleReply => {
  const ref = { cluster: name(body.cluster, "cluster", clusterNameOf), service: name(body.service, "service", serviceNameOf) };
  const requested = body.desiredCount;
  if (typeof requested !== "number" || !Number.isInteger(requested) || requested < 0) throw new AwsError("BadRequest", "desiredCount must be a whole number of tasks, 0 or more");

  const resourceId = serviceResourceId(ref);
  const target = autoscalingState(ctx).targets.get(targetKey("ecs", resourceId, ECS_DIMENSION));
  const service = activeService(ctx.sim, ctx.region, ref);
  if (!target || !service) {
    throw new AwsError("NoScalableTarget", `${resourceId} has no scalable target (${ECS_DIMENSION}) in ${ctx.region}: register one with RegisterScalableTarget first`);
  }
  const decision = decideScaling(service.desiredCount, requested, target, deploymentInProgress(service));
  if (!decision.scale) return { desiredCount: service.desiredCount, applied: false, reason: decision.reason };
  return { desiredCount: setDesiredCount(ctx, service, decision.to), applied: true };
};
