import type { TargetHealth } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { TargetGroupRecord, TargetRecord } from "./state.js";

/**
 * A target's health, worked out from times alone so no clock tick is needed: health checks start when the target
 * is registered (or when a listener first forwards to its group, if later); a target that answers turns healthy
 * after `healthy threshold` intervals, one that does not turns unhealthy after `unhealthy threshold` intervals.
 */
export type ApiHealthState = "initial" | "healthy" | "unhealthy" | "unused" | "draining" | "unavailable";

export interface TargetHealthView extends TargetHealth {
  State: ApiHealthState;
}

const notRegistered: TargetHealthView = { State: "unused", Reason: "Target.NotRegistered", Description: "Target is not registered to the target group" };

/** When a deregistered target stops draining and is gone from the group. */
export function drainedAt(target: TargetRecord | undefined): number | undefined {
  return target?.deregisteredAt ? target.deregisteredAt.getTime() + (target.drainingSeconds ?? 0) * 1000 : undefined;
}

export function healthOf(group: TargetGroupRecord, target: TargetRecord | undefined, now: Date): TargetHealthView {
  if (!target) return notRegistered;
  const drained = drainedAt(target);
  if (drained !== undefined) {
    return now.getTime() < drained ? { State: "draining", Reason: "Target.DeregistrationInProgress", Description: "Target deregistration is in progress" } : notRegistered;
  }
  if (!group.inUseSince) {
    return { State: "unused", Reason: "Target.NotInUse", Description: "Target group is not configured to receive traffic from the load balancer" };
  }
  const hc = group.healthCheck;
  if (!hc.enabled) return { State: "unavailable", Reason: "Target.HealthCheckDisabled", Description: "Health checks are disabled" };
  const start = Math.max(target.registeredAt.getTime(), group.inUseSince.getTime());
  const elapsed = now.getTime() - start;
  const interval = hc.intervalSeconds * 1000;
  const decidedAfter = interval * (target.passesHealthCheck ? hc.healthyThreshold : hc.unhealthyThreshold);
  if (elapsed < decidedAfter) {
    return elapsed < interval
      ? { State: "initial", Reason: "Elb.RegistrationInProgress", Description: "Target registration is in progress" }
      : { State: "initial", Reason: "Elb.InitialHealthChecking", Description: "Initial health checks in progress" };
  }
  if (target.passesHealthCheck) return { State: "healthy" };
  return { State: "unhealthy", Reason: "Target.ResponseCodeMismatch", Description: `Health checks failed with these codes: [502]` };
}

export const targetKey = (id: string, port: number): string => `${id}:${port}`;
