import type { ListenerRule } from "../../src/aws/listener-rules.js";
import { ConflictError } from "../../src/errors.js";

/**
 * Routing policy: at which priorities verification rules go. An ALB evaluates rules lowest number first and the
 * default action last, so a verification rule wins over production when its number is below every rule that
 * forwards to the service's target groups. Numbers are taken from just below the lowest such rule, so the
 * verification rules sit next to the route they shadow rather than ahead of other services' rules.
 */

/** ALB priorities run 1..50000; the default action behaves as one past the last. */
export const maxPriority = 50000;
const defaultRank = maxPriority + 1;

const rank = (rule: ListenerRule) => (rule.priority === "default" ? defaultRank : rule.priority);

/** The rules that carry the service's traffic today: they forward to one of its target groups. */
export function productionRules(rules: ListenerRule[], serviceTargetGroupArns: readonly string[], exclude: ReadonlySet<string>): ListenerRule[] {
  return rules.filter((r) => !exclude.has(r.arn) && r.forwardsTo.some((arn) => serviceTargetGroupArns.includes(arn))).sort((a, b) => rank(a) - rank(b));
}

/** The number verification rules must stay below: the lowest production rule's, or past the last when none forwards there. */
export function ceilingOf(production: ListenerRule[]): number {
  return production.length > 0 ? rank(production[0] as ListenerRule) : defaultRank;
}

/**
 * `count` free numbers below `ceiling`, highest first taken. Throws a ConflictError — before anything is written —
 * naming the rules to renumber when there is no room.
 */
export function choosePriorities(count: number, ceiling: number, taken: ReadonlySet<number>, context: { listenerArn: string; service: string; production: ListenerRule[]; occupants: ListenerRule[] }): number[] {
  const chosen: number[] = [];
  for (let p = Math.min(ceiling, defaultRank) - 1; p >= 1 && chosen.length < count; p -= 1) if (!taken.has(p)) chosen.push(p);
  if (chosen.length === count) return chosen.sort((a, b) => a - b);
  const lowest = context.production[0];
  const below = context.occupants.filter((r) => r.priority !== "default" && r.priority < ceiling).sort((a, b) => rank(a) - rank(b));
  const lowestText = lowest ? `the lowest rule forwarding to ${context.service}'s target groups is at priority ${String(lowest.priority)} (${lowest.arn})` : "";
  const belowText = below.length > 0 ? `; priorities below it are taken by ${below.map((r) => `${String(r.priority)} (${r.arn})`).join(", ")}` : "";
  throw new ConflictError(
    `No room for ${count} verification rule(s) on listener ${context.listenerArn}: they must win over production, but ${lowestText}${belowText}.`,
    `Renumber the rule at priority ${String(lowest?.priority ?? "?")} to a higher number (aws elbv2 set-rule-priorities) so that ${count} free number(s) lie below it${below.length > 0 ? ", or move the rules listed above it" : ""}; nothing was changed.`,
  );
}
