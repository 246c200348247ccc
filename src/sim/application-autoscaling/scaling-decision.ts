import type { ScalableTargetRecord } from "./state.js";

/**
 * What a scaling policy does with the desired count it has worked out, as ECS's service auto scaling guide
 * describes it: the count is kept within [min, max]; a count already below the minimum is raised to it by a
 * scale-out but left alone by a scale-in (and one above the maximum the other way round); a suspended direction
 * does nothing; and scale-in waits while an ECS deployment is in progress. The reasons that AWS also reports for
 * an activity that did not scale use AWS's NotScaledReason codes (AlreadyAt...).
 */
export type NotScaledReason =
  | "AlreadyAtDesiredCapacity"
  | "AlreadyAtMaxCapacity"
  | "AlreadyAtMinCapacity"
  | "DynamicScalingOutSuspended"
  | "DynamicScalingInSuspended"
  | "ScaleInDuringDeployment";

export type ScalingDecision = { scale: true; to: number } | { scale: false; reason: NotScaledReason };

export const withinBounds = (count: number, min: number, max: number) => Math.min(Math.max(count, min), max);

type Bounds = Pick<ScalableTargetRecord, "minCapacity" | "maxCapacity" | "suspended">;

export function decideScaling(current: number, requested: number, target: Bounds, deploying: boolean): ScalingDecision {
  if (requested === current) return { scale: false, reason: "AlreadyAtDesiredCapacity" };
  const to = withinBounds(requested, target.minCapacity, target.maxCapacity);
  if (requested > current) {
    if (target.suspended.dynamicScalingOut) return { scale: false, reason: "DynamicScalingOutSuspended" };
    // Clamped down to a maximum the service is already at (or above): a scale-out never lowers the count.
    return to > current ? { scale: true, to } : { scale: false, reason: "AlreadyAtMaxCapacity" };
  }
  if (target.suspended.dynamicScalingIn) return { scale: false, reason: "DynamicScalingInSuspended" };
  if (deploying) return { scale: false, reason: "ScaleInDuringDeployment" };
  // Clamped up to a minimum the service is already at (or below): a scale-in never raises the count.
  return to < current ? { scale: true, to } : { scale: false, reason: "AlreadyAtMinCapacity" };
}
