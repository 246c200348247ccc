import { loadBalancersForwardingTo, targetGroupsOf } from "./actions.js";
import { servedActions } from "./propagation.js";
import type { ElbRegionState } from "./state.js";

/**
 * Keeps each target group's `inUseSince` true to the listeners and rules: a load balancer only health-checks the
 * targets of a group it forwards to, so health checking starts when the first listener or rule points at it.
 * Called after every change to listeners, rules or load balancers, and when a weight change has propagated.
 */
export function refreshUsage(state: ElbRegionState, now: Date): void {
  // A group a rule still forwards to while a change of its actions propagates still takes traffic.
  const stillServed = new Set([...state.rules.values()].flatMap((rule) => (rule.propagating ? targetGroupsOf(servedActions(rule, now)) : [])));
  for (const group of state.targetGroups.values()) {
    const inUse = stillServed.has(group.arn) || loadBalancersForwardingTo(state, group.arn).length > 0;
    if (inUse && !group.inUseSince) group.inUseSince = now;
    if (!inUse) delete group.inUseSince;
  }
}
