import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ElbRegionState, RuleRecord } from "./state.js";

/**
 * Weight propagation: for a while after ModifyListener or ModifyRule changes a rule's actions, the load balancer
 * still forwards the requests that rule matches by the actions it had before (the simulator's
 * weightPropagationSeconds; AWS documents no figure). Which rule matches is never delayed: conditions, new rules
 * and deleted rules apply at once. The API describes the new actions straight away, as AWS does.
 */

/** The actions a request matched to `rule` at `now` is forwarded by. */
export function servedActions(rule: RuleRecord, now: Date): Action[] {
  return rule.propagating && now.getTime() < rule.propagating.until.getTime() ? rule.propagating.actions : rule.actions;
}

/**
 * Gives the rule new actions at `now`. With a propagation delay, requests keep being forwarded by the actions
 * served just before the change (a change during an earlier window restarts it from what was still served) until
 * the delay has passed. Actions equal to the current ones change nothing.
 */
export function changeActions(rule: RuleRecord, actions: Action[], now: Date, propagationSeconds: number): void {
  if (JSON.stringify(actions) === JSON.stringify(rule.actions)) return;
  const served = servedActions(rule, now);
  rule.actions = actions;
  if (propagationSeconds > 0 && JSON.stringify(served) !== JSON.stringify(actions)) {
    rule.propagating = { actions: served, until: new Date(now.getTime() + propagationSeconds * 1000) };
  } else {
    delete rule.propagating;
  }
}

/** Ends the windows that are over by `now`; true when any did, so the groups' usage may have changed. */
export function endPropagation(state: ElbRegionState, now: Date): boolean {
  let ended = false;
  for (const rule of state.rules.values()) {
    if (rule.propagating && rule.propagating.until.getTime() <= now.getTime()) {
      delete rule.propagating;
      ended = true;
    }
  }
  return ended;
}
