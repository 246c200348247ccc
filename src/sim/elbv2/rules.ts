import type { CreateRuleInput, DeleteRuleInput, DescribeRulesInput, ModifyRuleInput, Rule, RulePriorityPair, SetRulePrioritiesInput } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import type { Handler } from "../module.js";
import { describeAction, parseActions } from "./actions.js";
import { list, optionalInt, requiredString } from "./coerce.js";
import { parseConditions } from "./conditions.js";
import { stateOf } from "./context.js";
import { constraintViolation, operationNotPermitted, priorityInUse, ruleNotFound, validation } from "./errors.js";
import { requireListener } from "./listeners.js";
import { page } from "./paging.js";
import { newResourceId, type ElbRegionState, type RuleRecord } from "./state.js";
import { addTags } from "./tags.js";
import { changeActions } from "./propagation.js";
import { refreshUsage } from "./usage.js";

/** Listener rules: priorities unique per listener, the default rule evaluated last and never deleted. */
/** ALB quota: rules per load balancer, not counting default rules. */
export const maxRulesPerLoadBalancer = 100;

export function requireRule(state: ElbRegionState, arn: string): RuleRecord {
  const rule = state.rules.get(arn);
  if (!rule) throw ruleNotFound();
  return rule;
}

export function describeRule(rule: RuleRecord): Rule {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions,
    Actions: rule.actions.map(describeAction),
    IsDefault: rule.priority === "default",
  };
}

function parsePriority(value: unknown, path: string): number {
  const priority = optionalInt(value, "Priority");
  if (priority === undefined) throw validation("A priority must be specified");
  if (priority < 1) throw constraintViolation(priority, path, "Member must have value greater than or equal to 1");
  if (priority > 50000) throw constraintViolation(priority, path, "Member must have value less than or equal to 50000");
  return priority;
}

function loadBalancerOf(state: ElbRegionState, rule: { listenerArn: string }): string {
  return requireListener(state, rule.listenerArn).loadBalancerArn;
}

export const ruleOperations: Record<string, Handler> = {
  CreateRule(input: CreateRuleInput, ctx) {
    const state = stateOf(ctx);
    const listener = requireListener(state, requiredString(input.ListenerArn, "ListenerArn"));
    const priority = parsePriority(input.Priority, "priority");
    const conditions = parseConditions(input.Conditions);
    const actions = parseActions(state, input.Actions, "actions", listener.loadBalancerArn);
    if (state.rulesOf(listener.arn).some((r) => r.priority === priority)) throw priorityInUse(priority);
    const onBalancer = [...state.rules.values()].filter((r) => r.priority !== "default" && state.listeners.get(r.listenerArn)?.loadBalancerArn === listener.loadBalancerArn);
    if (onBalancer.length >= maxRulesPerLoadBalancer) throw new AwsError("TooManyRules", `You've reached the limit of ${maxRulesPerLoadBalancer} rules per load balancer`);
    const lbSegment = listener.arn.split(":listener/")[1] ?? "";
    const rule: RuleRecord = { arn: state.arn(`listener-rule/${lbSegment}/${newResourceId()}`), listenerArn: listener.arn, priority, conditions, actions };
    addTags(state, rule.arn, input.Tags);
    state.rules.set(rule.arn, rule);
    refreshUsage(state, ctx.now);
    return { Rules: [describeRule(rule)] };
  },

  DescribeRules(input: DescribeRulesInput, ctx) {
    const state = stateOf(ctx);
    const arns = list<string>(input.RuleArns);
    const listenerArn = typeof input.ListenerArn === "string" && input.ListenerArn !== "" ? input.ListenerArn : undefined;
    if (!listenerArn && arns.length === 0) throw validation("You must specify either listener ARN or rule ARNs");
    if (listenerArn && arns.length > 0) throw validation("A listener ARN and rule ARNs cannot be specified at the same time");
    const found = listenerArn ? state.rulesOf(requireListener(state, listenerArn).arn) : arns.map((arn) => requireRule(state, arn));
    const { items, NextMarker } = page(found, input);
    return { Rules: items.map(describeRule), ...(NextMarker && { NextMarker }) };
  },

  ModifyRule(input: ModifyRuleInput, ctx) {
    const state = stateOf(ctx);
    const rule = requireRule(state, requiredString(input.RuleArn, "RuleArn"));
    // AWS: the default rule's actions are changed with ModifyListener, never with ModifyRule.
    if (rule.priority === "default") throw operationNotPermitted(`Default rule '${rule.arn}' cannot be modified; use ModifyListener to change its actions`);
    const hasConditions = input.Conditions !== undefined;
    // Every check comes before any change, so a refused call leaves the rule as it was.
    const conditions = hasConditions ? parseConditions(input.Conditions) : rule.conditions;
    const actions = input.Actions !== undefined ? parseActions(state, input.Actions, "actions", loadBalancerOf(state, rule)) : undefined;
    rule.conditions = conditions;
    if (actions) changeActions(rule, actions, ctx.now, ctx.sim.elbv2.traffic.weightPropagationSeconds);
    refreshUsage(state, ctx.now);
    return { Rules: [describeRule(rule)] };
  },

  DeleteRule(input: DeleteRuleInput, ctx) {
    const state = stateOf(ctx);
    const rule = requireRule(state, requiredString(input.RuleArn, "RuleArn"));
    if (rule.priority === "default") throw operationNotPermitted(`Default rule '${rule.arn}' cannot be deleted`);
    state.rules.delete(rule.arn);
    state.tags.delete(rule.arn);
    refreshUsage(state, ctx.now);
    return {};
  },

  SetRulePriorities(input: SetRulePrioritiesInput, ctx) {
    const state = stateOf(ctx);
    const pairs = list<RulePriorityPair>(input.RulePriorities);
    if (pairs.length === 0) throw validation("At least one rule priority must be specified");
    const changes = pairs.map((pair, i) => {
      const rule = requireRule(state, requiredString(pair.RuleArn, "RuleArn"));
      if (rule.priority === "default") throw operationNotPermitted(`The priority of default rule '${rule.arn}' cannot be set`);
      return { rule, priority: parsePriority(pair.Priority, `rulePriorities.${i + 1}.member.priority`) };
    });
    // The new priorities are checked against each other and against the listeners' other rules as they will be.
    for (const { rule, priority } of changes) {
      const moved = new Map(changes.map((c) => [c.rule.arn, c.priority]));
      const clash = state.rulesOf(rule.listenerArn).some((other) => other.arn !== rule.arn && (moved.get(other.arn) ?? other.priority) === priority);
      if (clash) throw priorityInUse(priority);
    }
    for (const { rule, priority } of changes) rule.priority = priority;
    return { Rules: changes.map((c) => describeRule(c.rule)) };
  },
};
