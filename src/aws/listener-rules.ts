import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeLoadBalancersCommand,
  paginateDescribeListeners,
  paginateDescribeRules,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
  type RuleCondition,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { NotFoundError } from "../errors.js";
import type { ListenerRef } from "../../targets/target.js";
import { elbTagsOf } from "./resource-tags.js";
import { awsErrorName, callAws } from "./call.js";
import { ElbTargetGroups } from "./target-groups.js";

/**
 * Listener rules as the verification step (and later the task-set mode) needs them: read a listener's rules with
 * their tags, create a forwarding rule with tags, delete a rule. The adapter only translates; which priority and
 * which conditions a rule gets is the caller's routing policy (STYLE lesson 4).
 */

/** The conditions slipway writes and compares, in one flat shape instead of the SDK's per-field configs. */
export interface RuleMatch {
  /** http-header conditions: the header must have one of the values. */
  headers: { name: string; values: string[] }[];
  /** One query-string condition: any of the pairs matches. A pair without key matches a bare value. */
  query: { key?: string; value: string }[];
  /** host-header values; empty: any host. */
  hosts: string[];
  /** path-pattern values; empty: any path. */
  paths: string[];
  /** Conditions of other kinds (method, source IP, regex values) a rule has: slipway never writes them. */
  other: number;
}

export interface ListenerRule {
  arn: string;
  /** "default" for the listener's default action, evaluated last. */
  priority: number | "default";
  match: RuleMatch;
  /** Target groups the rule's forward action names (any weight, 0 included): who the rule can send traffic to. */
  forwardsTo: string[];
  tags: Record<string, string>;
}

export interface NewForwardRule {
  listenerArn: string;
  priority: number;
  match: Omit<RuleMatch, "other">;
  targetGroupArn: string;
  /** Groups named in the forward action at weight 0: associated with the rule, sent nothing (ECS's test rule needs both). */
  idleTargetGroupArns?: string[];
  tags: Record<string, string>;
}

/** Finding the resources a target names. */
export interface ListenerResolver {
  /** A listener's ARN from its ARN or {load balancer name, port}; NotFoundError when there is none. */
  listenerArn(ref: ListenerRef): Promise<string>;
  /** A target group's ARN from its name or ARN; NotFoundError when there is none. */
  targetGroupArn(nameOrArn: string): Promise<string>;
}

export interface ListenerRulesReader {
  /** Every rule of the listener, default rule included, each with its tags. */
  rulesOf(listenerArn: string): Promise<ListenerRule[]>;
}

export interface ListenerRulesWriter {
  createForwardRule(rule: NewForwardRule): Promise<{ arn: string }>;
  /** "not-found" when the rule was already gone: for a caller cleaning up, that is done. */
  deleteRule(arn: string): Promise<"deleted" | "not-found">;
}

export type ListenerRules = ListenerResolver & ListenerRulesReader & ListenerRulesWriter;


function matchOf(conditions: RuleCondition[]): RuleMatch {
  const match: RuleMatch = { headers: [], query: [], hosts: [], paths: [], other: 0 };
  for (const c of conditions) {
    if (c.Field === "http-header" && c.HttpHeaderConfig?.Values) match.headers.push({ name: c.HttpHeaderConfig.HttpHeaderName ?? "", values: c.HttpHeaderConfig.Values });
    else if (c.Field === "query-string" && c.QueryStringConfig?.Values) match.query.push(...c.QueryStringConfig.Values.map((p) => ({ ...(p.Key !== undefined && { key: p.Key }), value: p.Value ?? "" })));
    else if (c.Field === "host-header" && (c.HostHeaderConfig?.Values ?? c.Values)) match.hosts.push(...(c.HostHeaderConfig?.Values ?? c.Values ?? []));
    else if (c.Field === "path-pattern" && (c.PathPatternConfig?.Values ?? c.Values)) match.paths.push(...(c.PathPatternConfig?.Values ?? c.Values ?? []));
    else match.other += 1;
  }
  return match;
}

function conditionsOf(match: NewForwardRule["match"]): RuleCondition[] {
  return [
    ...match.headers.map((h): RuleCondition => ({ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: h.name, Values: h.values } })),
    ...(match.query.length > 0 ? [{ Field: "query-string", QueryStringConfig: { Values: match.query.map((q) => ({ ...(q.key !== undefined && { Key: q.key }), Value: q.value })) } }] : []),
    ...(match.hosts.length > 0 ? [{ Field: "host-header", HostHeaderConfig: { Values: match.hosts } }] : []),
    ...(match.paths.length > 0 ? [{ Field: "path-pattern", PathPatternConfig: { Values: match.paths } }] : []),
  ];
}

/** The target groups of the rule's last (forward) action, in either of the two ways AWS writes them. */
function forwardTargets(actions: Action[]): string[] {
  const forward = actions.find((a) => a.Type === "forward");
  if (!forward) return [];
  const groups = forward.ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn ?? "") ?? [];
  return [...new Set([...(forward.TargetGroupArn ? [forward.TargetGroupArn] : []), ...groups])].filter((arn) => arn !== "");
}

const isNotFound = (error: unknown, ...names: string[]) => names.includes(awsErrorName(error) ?? "");

/** The ELBv2 SDK behind the port; listings use the SDK's paginators. */
export class ElbListenerRules implements ListenerRules {
  constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

  async listenerArn(ref: ListenerRef): Promise<string> {
    if ("arn" in ref) return ref.arn;
    const notFound = () => new NotFoundError(`The load balancer "${ref.loadBalancer}" has no listener on port ${ref.port}.`, "Check loadBalancer.listener in the environment's target (the load balancer's name and the listener's port), or give the listener's ARN.");
    let lbArn: string | undefined;
    try {
      const out = await callAws("DescribeLoadBalancers", ref.loadBalancer, () => this.elbv2.send(new DescribeLoadBalancersCommand({ Names: [ref.loadBalancer] })));
      lbArn = out.LoadBalancers?.[0]?.LoadBalancerArn;
    } catch (error) {
      if (!isNotFound(error, "LoadBalancerNotFound", "LoadBalancerNotFoundException")) throw error;
    }
    if (!lbArn) throw notFound();
    const loadBalancerArn = lbArn;
    const listeners = await callAws("DescribeListeners", loadBalancerArn, async () => {
      const all: Listener[] = [];
      for await (const page of paginateDescribeListeners({ client: this.elbv2 }, { LoadBalancerArn: loadBalancerArn })) all.push(...(page.Listeners ?? []));
      return all;
    });
    const found = listeners.find((l) => l.Port === ref.port)?.ListenerArn;
    if (!found) throw notFound();
    return found;
  }

  targetGroupArn(nameOrArn: string): Promise<string> {
    return new ElbTargetGroups(this.elbv2).arnOf(nameOrArn);
  }

  async rulesOf(listenerArn: string): Promise<ListenerRule[]> {
    const rules = await callAws("DescribeRules", listenerArn, async () => {
      const all: Rule[] = [];
      for await (const page of paginateDescribeRules({ client: this.elbv2 }, { ListenerArn: listenerArn })) all.push(...(page.Rules ?? []));
      return all;
    });
    const tags = await elbTagsOf(this.elbv2, rules.filter((r) => !r.IsDefault).map((r) => r.RuleArn ?? ""));
    // A rule without tags in the answer was deleted after DescribeRules listed it.
    return rules.filter((r) => r.IsDefault || tags.has(r.RuleArn ?? "")).map((r) => ({
      arn: r.RuleArn ?? "",
      priority: r.IsDefault || r.Priority === "default" ? "default" : Number(r.Priority),
      match: matchOf(r.Conditions ?? []),
      forwardsTo: forwardTargets(r.Actions ?? []),
      tags: tags.get(r.RuleArn ?? "") ?? {},
    }));
  }

  async createForwardRule(rule: NewForwardRule): Promise<{ arn: string }> {
    const out = await callAws("CreateRule", `${rule.listenerArn} priority ${rule.priority}`, () =>
      this.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: rule.listenerArn,
          Priority: rule.priority,
          Conditions: conditionsOf(rule.match),
          Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: rule.targetGroupArn, Weight: 1 }, ...(rule.idleTargetGroupArns ?? []).map((arn) => ({ TargetGroupArn: arn, Weight: 0 }))] } }],
          // Tagged in the same call: a rule never exists untagged, so a crash right after it cannot leak an orphan.
          Tags: Object.entries(rule.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      ),
    );
    const arn = out.Rules?.[0]?.RuleArn;
    if (!arn) throw new Error("CreateRule answered without a rule");
    return { arn };
  }

  async deleteRule(arn: string): Promise<"deleted" | "not-found"> {
    try {
      await callAws("DeleteRule", arn, () => this.elbv2.send(new DeleteRuleCommand({ RuleArn: arn })));
      return "deleted";
    } catch (error) {
      if (isNotFound(error, "RuleNotFound", "RuleNotFoundException")) return "not-found";
      throw error;
    }
  }
}
