import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { DeploymentFacts } from "./facts.js";

/**
 * The routing policy: a stage's share for the other target group → the forward weights of one rule. Only the
 * service's two groups are changed; other groups a rule forwards to, stickiness and any actions before the
 * forward (authentication) are kept as they are. Pure.
 */
type Groups = DeploymentFacts["targetGroups"];

function weightsOf(actions: readonly Action[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const action of actions.filter((a) => a.Type === "forward")) {
    if (action.ForwardConfig?.TargetGroups?.length) {
      for (const g of action.ForwardConfig.TargetGroups) weights.set(g.TargetGroupArn ?? "", (weights.get(g.TargetGroupArn ?? "") ?? 0) + (g.Weight ?? 1));
    } else if (action.TargetGroupArn) {
      weights.set(action.TargetGroupArn, 1);
    }
  }
  return weights;
}

/** The other group's share of what the rule sends to the service, 0–100; undefined when the rule sends it nothing. */
export function otherShare(actions: readonly Action[], groups: Groups): number | undefined {
  const weights = weightsOf(actions);
  const live = weights.get(groups.live) ?? 0;
  const other = weights.get(groups.other) ?? 0;
  if (live + other === 0) return undefined;
  return (other * 100) / (live + other);
}

/** The rule's actions with `percent` % of the service's traffic on the other group and the rest on the live one. */
export function withShare(actions: readonly Action[], groups: Groups, percent: number): Action[] {
  const weights = { [groups.live]: 100 - percent, [groups.other]: percent };
  return actions.map((action) => {
    if (action.Type !== "forward") return action;
    const listed = action.ForwardConfig?.TargetGroups ?? (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : []);
    const others = listed.filter((g) => g.TargetGroupArn !== groups.live && g.TargetGroupArn !== groups.other);
    const { TargetGroupArn: _single, ...rest } = action;
    return {
      ...rest,
      ForwardConfig: {
        ...action.ForwardConfig,
        TargetGroups: [...Object.entries(weights).map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), ...others],
      },
    };
  });
}

/** Whether the rule already sends the service's traffic in the stage's proportions. */
export function hasShare(actions: readonly Action[], groups: Groups, percent: number): boolean {
  const share = otherShare(actions, groups);
  return share !== undefined && Math.abs(share - percent) < 1e-9;
}
