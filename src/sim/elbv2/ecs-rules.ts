import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ListenerRuleView } from "../links.js";
import { forwardTargets } from "./actions.js";
import { changeActions } from "./propagation.js";
import type { ElbRegionState, RuleRecord } from "./state.js";
import { refreshUsage } from "./usage.js";

/**
 * What ECS's native deployment strategies do to listener rules: read the production and test rules (a listener's
 * ARN stands for its default rule, as for a Network Load Balancer's listener) and move their forward weights. The
 * change goes through the same path as ModifyRule, so weight propagation, target group usage, the traffic oracle
 * and the HTTP frontends all follow it.
 */
function ruleNamed(state: ElbRegionState, arn: string): RuleRecord | undefined {
  const listener = state.listeners.get(arn);
  return state.rules.get(listener ? listener.defaultRuleArn : arn);
}

export function listenerRuleView(state: ElbRegionState, arn: string): ListenerRuleView | undefined {
  const rule = ruleNamed(state, arn);
  const listener = rule && state.listeners.get(rule.listenerArn);
  if (!rule || !listener) return undefined;
  const forward = rule.actions.find((a) => a.Type === "forward");
  return {
    ruleArn: rule.arn,
    listenerArn: listener.arn,
    loadBalancerArn: listener.loadBalancerArn,
    ...(forward && { forwards: forwardTargets(forward).map((g) => ({ targetGroupArn: g.arn, weight: g.weight })) }),
    onlyForward: rule.actions.every((a) => a.Type === "forward"),
  };
}

export function setForwardWeights(state: ElbRegionState, ruleArn: string, weights: { targetGroupArn: string; weight: number }[], at: Date, propagationSeconds: number): void {
  const rule = ruleNamed(state, ruleArn);
  if (!rule) return;
  const actions: Action[] = rule.actions.map((action) =>
    action.Type !== "forward"
      ? action
      : {
          ...action,
          ForwardConfig: {
            ...action.ForwardConfig,
            TargetGroups: weights.map((w) => ({ TargetGroupArn: w.targetGroupArn, Weight: w.weight })),
          },
        },
  );
  changeActions(rule, actions, at, propagationSeconds);
  refreshUsage(state, at);
}
