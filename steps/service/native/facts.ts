import type { Action as ElbAction } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ListenerRule } from "../../../src/aws/listener-rules.js";
import { ConflictError, InputError } from "../../../src/errors.js";
import type { Target } from "../../../targets/target.js";
import { ownerValue as verificationOwner, tagKeys } from "../../verification/identity.js";
import { productionRules } from "../../verification/priorities.js";
import { resolveVerificationListener } from "../../verification/resolve.js";
import type { NativePorts } from "./ports.js";
import type { NativeSettings } from "./settings.js";

/** The tag value that marks the test listener rule slipway keeps for a service in an environment. */
export const testRuleOwner = "ecs-test-rule";

/** What a native deployment reads before planning: the listener, the rules ECS will shift, and who is live. */
export interface NativeFacts {
  listenerArn: string;
  /** The target's primary group: the service's targetGroupArn. */
  primary: string;
  /** The target's canary group: the service's alternateTargetGroupArn. */
  alternate: string;
  /** The group production traffic goes to now (ECS alternates them between deployments). */
  live: string;
  production: ListenerRule;
  productionActions: ElbAction[];
  /** The listener's rules as read, for priorities. */
  rules: ListenerRule[];
  /** The test rules slipway keeps for this service here (normally one; more after a crash mid-replacement). */
  testRules: ListenerRule[];
  roleArn: string;
}

export const isTestRuleOf = (rule: ListenerRule, service: string, environment: string) =>
  rule.tags[tagKeys.owner] === testRuleOwner && rule.tags[tagKeys.service] === service && rule.tags[tagKeys.environment] === environment;

/** The rules slipway keeps on a listener (verification rules and ECS test rules): never production rules. */
export function slipwayRuleArns(rules: readonly ListenerRule[]): Set<string> {
  return new Set(rules.filter((r) => r.tags[tagKeys.owner] === verificationOwner || r.tags[tagKeys.owner] === testRuleOwner).map((r) => r.arn));
}

/** The group with the largest weight in the rule's forward action: where its traffic goes. */
export function liveGroupOf(actions: readonly ElbAction[], groups: readonly string[]): string | undefined {
  const forward = actions.find((a) => a.Type === "forward");
  if (forward?.TargetGroupArn && groups.includes(forward.TargetGroupArn)) return forward.TargetGroupArn;
  const weighted = (forward?.ForwardConfig?.TargetGroups ?? []).filter((g) => groups.includes(g.TargetGroupArn ?? "")).sort((a, b) => (b.Weight ?? 1) - (a.Weight ?? 1));
  return weighted[0]?.TargetGroupArn;
}

/** The role's ARN: as written, or the name in the account (and partition) the target groups belong to. */
function roleArnOf(role: string, targetGroupArn: string): string {
  if (role.startsWith("arn:")) return role;
  const match = /^arn:(aws[a-z-]*):elasticloadbalancing:[^:]*:(\d{12}):/.exec(targetGroupArn);
  if (!match) throw new InputError(`Cannot tell which account the role "${role}" is in: the target group ${targetGroupArn} has no account in its ARN.`, "Give loadBalancerRole as a full role ARN (arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers).");
  return `arn:${match[1]}:iam::${match[2]}:role/${role}`;
}

/**
 * The one rule ECS shifts production traffic on: among the listener's rules forwarding to the service's groups (not
 * slipway's verification or test rules), the one forwarding to both, else the only one. ECS takes one production
 * rule; a listener with several routes to the service is refused, naming them.
 */
function productionRuleOf(rules: ListenerRule[], groups: string[], service: string, listenerArn: string): ListenerRule {
  const candidates = productionRules(rules, groups, slipwayRuleArns(rules));
  const both = candidates.filter((r) => groups.every((g) => r.forwardsTo.includes(g)));
  const chosen = both.length === 1 ? both[0] : candidates.length === 1 ? candidates[0] : undefined;
  if (chosen) return chosen;
  if (candidates.length === 0) {
    throw new ConflictError(`No rule of listener ${listenerArn} forwards to ${service}'s target groups, so ECS would have no production traffic to shift.`, "Add a rule (or a default action) forwarding to the target's primary target group, with the canary group at weight 0, then deploy again.");
  }
  throw new ConflictError(
    `${candidates.length} rules of listener ${listenerArn} forward to ${service}'s target groups (${candidates.map((r) => `priority ${String(r.priority)} ${r.arn}`).join("; ")}); ECS shifts production traffic on exactly one.`,
    "Make one rule forward to both target groups (the canary group at weight 0): that is the one slipway gives ECS. Or route the others elsewhere.",
  );
}

export async function gatherNativeFacts(target: Target, service: string, settings: NativeSettings, ports: NativePorts): Promise<NativeFacts> {
  const listener = await resolveVerificationListener(target, "canary", ports.rules);
  const [primary = "", alternate = ""] = listener.serviceTargetGroupArns;
  const rules = await ports.rules.rulesOf(listener.listenerArn);
  const production = productionRuleOf(rules, [primary, alternate], service, listener.listenerArn);
  const productionActions = (await ports.weights.actionsOf([{ arn: production.arn, listenerArn: listener.listenerArn, isDefault: production.priority === "default" }]))[production.arn] ?? [];
  return {
    listenerArn: listener.listenerArn,
    primary,
    alternate,
    live: liveGroupOf(productionActions, [primary, alternate]) ?? primary,
    production,
    productionActions,
    rules,
    testRules: rules.filter((r) => isTestRuleOf(r, service, target.environment)),
    roleArn: roleArnOf(settings.loadBalancerRole, primary),
  };
}
