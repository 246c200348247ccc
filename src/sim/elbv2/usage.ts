import { loadBalancersForwardingTo } from "./actions.js";
import type { ElbRegionState } from "./state.js";

/**
 * Keeps each target group's `inUseSince` true to the listeners and rules: a load balancer only health-checks the
 * targets of a group it forwards to, so health checking starts when the first listener or rule points at it.
 * Called after every change to listeners, rules or load balancers.
 */
export function refreshUsage(state: ElbRegionState, now: Date): void {
  for (const group of state.targetGroups.values()) {
    const inUse = loadBalancersForwardingTo(state, group.arn).length > 0;
    if (inUse && !group.inUseSince) group.inUseSince = now;
    if (!inUse) delete group.inUseSince;
  }
}
