import {
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  paginateDescribeListeners,
  paginateDescribeRules,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { elbTagsOf } from "./resource-tags.js";
import { callAws } from "./call.js";

/**
 * The load balancer side of a task-set deployment (seed 000): find every listener rule and default action that
 * forwards to a service's target groups, read their actions, and write new ones. Which weights to write is the
 * mode's routing policy; this port only translates.
 */

/** A rule (or a listener's default action) by where it lives: a default action is changed with ModifyListener. */
export interface RuleRef {
  arn: string;
  listenerArn: string;
  isDefault: boolean;
}

export interface ForwardingRule extends RuleRef {
  actions: Action[];
  tags: Record<string, string>;
}

export interface ListenerWeights {
  /** Every rule and default action, on every listener of the load balancers the groups are attached to, that forwards to one of the groups. */
  forwardingTo(targetGroupArns: readonly string[]): Promise<ForwardingRule[]>;
  /** The current actions of the rules, by rule ARN; a rule that no longer exists is absent. One DescribeRules per listener. */
  actionsOf(rules: readonly RuleRef[]): Promise<Record<string, Action[]>>;
  setActions(rule: RuleRef, actions: Action[]): Promise<void>;
}


/** The target groups the rule's forward actions name, in either of the two ways AWS writes them. */
export function forwardedGroups(actions: readonly Action[]): string[] {
  const groups = actions.filter((a) => a.Type === "forward").flatMap((a) => [...(a.TargetGroupArn ? [a.TargetGroupArn] : []), ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn ?? "")]);
  return [...new Set(groups)].filter((g) => g !== "");
}

export class ElbListenerWeights implements ListenerWeights {
  constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

  private async rulesOfListener(listenerArn: string): Promise<Rule[]> {
    return callAws("DescribeRules", listenerArn, async () => {
      const all: Rule[] = [];
      for await (const page of paginateDescribeRules({ client: this.elbv2 }, { ListenerArn: listenerArn })) all.push(...(page.Rules ?? []));
      return all;
    });
  }

  async forwardingTo(targetGroupArns: readonly string[]): Promise<ForwardingRule[]> {
    const groups = await callAws("DescribeTargetGroups", targetGroupArns.join(","), () => this.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [...targetGroupArns] })));
    const loadBalancers = [...new Set((groups.TargetGroups ?? []).flatMap((g) => g.LoadBalancerArns ?? []))];
    const found: Omit<ForwardingRule, "tags">[] = [];
    for (const loadBalancerArn of loadBalancers) {
      const listeners = await callAws("DescribeListeners", loadBalancerArn, async () => {
        const all: Listener[] = [];
        for await (const page of paginateDescribeListeners({ client: this.elbv2 }, { LoadBalancerArn: loadBalancerArn })) all.push(...(page.Listeners ?? []));
        return all;
      });
      for (const listener of listeners) {
        const listenerArn = listener.ListenerArn ?? "";
        for (const rule of await this.rulesOfListener(listenerArn)) {
          const actions = rule.Actions ?? [];
          if (!forwardedGroups(actions).some((g) => targetGroupArns.includes(g))) continue;
          found.push({ arn: rule.RuleArn ?? "", listenerArn, isDefault: rule.IsDefault === true || rule.Priority === "default", actions });
        }
      }
    }
    const tags = await elbTagsOf(this.elbv2, found.filter((r) => !r.isDefault).map((r) => r.arn));
    // A rule without tags in the answer was deleted after DescribeRules listed it.
    return found.filter((r) => r.isDefault || tags.has(r.arn)).map((r) => ({ ...r, tags: tags.get(r.arn) ?? {} }));
  }

  async actionsOf(rules: readonly RuleRef[]): Promise<Record<string, Action[]>> {
    const wanted = new Set(rules.map((r) => r.arn));
    const actions: Record<string, Action[]> = {};
    for (const listenerArn of new Set(rules.map((r) => r.listenerArn))) {
      for (const rule of await this.rulesOfListener(listenerArn)) {
        if (rule.RuleArn && wanted.has(rule.RuleArn)) actions[rule.RuleArn] = rule.Actions ?? [];
      }
    }
    return actions;
  }

  async setActions(rule: RuleRef, actions: Action[]): Promise<void> {
    const writable = actions.map(keepingClientSecret);
    if (rule.isDefault) {
      await callAws("ModifyListener", rule.listenerArn, () => this.elbv2.send(new ModifyListenerCommand({ ListenerArn: rule.listenerArn, DefaultActions: writable })));
      return;
    }
    await callAws("ModifyRule", rule.arn, () => this.elbv2.send(new ModifyRuleCommand({ RuleArn: rule.arn, Actions: writable })));
  }
}

/**
 * Describe never returns an OIDC action's client secret, and AWS refuses to write that action back without
 * one unless told to keep the secret it has: so an action read and written back says so.
 */
export function keepingClientSecret(action: Action): Action {
  const oidc = action.AuthenticateOidcConfig;
  if (action.Type !== "authenticate-oidc" || !oidc || oidc.ClientSecret !== undefined) return action;
  return { ...action, AuthenticateOidcConfig: { ...oidc, UseExistingClientSecret: true } };
}
