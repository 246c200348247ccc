import type { Action, RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import { forwardTargets } from "./actions.js";
import { allConditionsMatch, type RoutedRequest } from "./condition-match.js";
import { byEvaluationOrder } from "./state.js";

/**
 * "Who would serve this request?" without HTTP: the listener's rules are evaluated in priority order, the default
 * rule last, and the first rule whose conditions all hold decides. Pure, so it can be table-tested and reused by
 * a real HTTP front end.
 */
export interface RoutableRule {
  arn: string;
  priority: number | "default";
  conditions: RuleCondition[];
  actions: Action[];
}

export interface TrafficShare {
  targetGroupArn: string;
  weight: number;
  /** weight / sum of the action's weights; 0 when every weight is 0. */
  share: number;
}

export function matchRule<R extends RoutableRule>(rules: R[], request: RoutedRequest): R | undefined {
  return [...rules].sort(byEvaluationOrder).find((rule) => allConditionsMatch(rule.conditions, request));
}

/** The action that ends the rule: forward, redirect or fixed-response. */
export function finalAction(actions: Action[]): Action | undefined {
  return actions.find((a) => a.Type === "forward" || a.Type === "redirect" || a.Type === "fixed-response");
}

export function trafficShares(action: Action): TrafficShare[] {
  const groups = forwardTargets(action);
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  return groups.map((g) => ({ targetGroupArn: g.arn, weight: g.weight, share: total === 0 ? 0 : g.weight / total }));
}
