import { AwsError } from "../aws-error.js";
import type { ControlHandler } from "../module.js";

/**
 * How the simulated load balancers treat traffic over time, per simulator. Both default to 0, which keeps requests
 * instant and weight changes immediate.
 *
 * - requestSeconds: simulated seconds a forwarded request takes. It is routed when it arrives and answered when it
 *   completes; a target that has left its group or a task that has stopped serving by then makes it a 502.
 * - weightPropagationSeconds: simulated seconds after ModifyListener or ModifyRule changes a rule's actions during
 *   which requests are still forwarded by its previous actions. AWS documents no such figure; real ALBs are
 *   reported to apply weight changes only after a while.
 */
export interface TrafficSettings {
  requestSeconds: number;
  weightPropagationSeconds: number;
}

export const defaultTraffic = (): TrafficSettings => ({ requestSeconds: 0, weightPropagationSeconds: 0 });

const keys = ["requestSeconds", "weightPropagationSeconds"] as const;

/** The settings `changes` names, checked: each a finite number of seconds, 0 or more. */
export function parseTraffic(changes: Record<string, unknown>): Partial<TrafficSettings> {
  const parsed: Partial<TrafficSettings> = {};
  for (const key of keys) {
    const value = changes[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new AwsError("BadRequest", `${key} must be a number of simulated seconds, 0 or more`);
    parsed[key] = value;
  }
  return parsed;
}

/**
 * GET/PUT /_sim/elbv2/traffic — not an AWS API. Reads the simulator's traffic settings, or changes those the body
 * names ({requestSeconds?, weightPropagationSeconds?}); answers with all of them and inFlight, the forwarded
 * requests waiting for their completion. Not per region: one simulator, one setting.
 */
export const trafficControl: ControlHandler = (body: Record<string, unknown>, ctx) => {
  const unknown = Object.keys(body).filter((k) => k !== "region" && !(keys as readonly string[]).includes(k));
  if (unknown.length > 0) throw new AwsError("BadRequest", `Unknown traffic setting: ${unknown.join(", ")} (known: ${keys.join(", ")})`);
  Object.assign(ctx.sim.elbv2.traffic, parseTraffic(body));
  return { ...ctx.sim.elbv2.traffic, inFlight: ctx.sim.elbv2.frontends.inFlight };
};
