import { expect } from "vitest";
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  SetRulePrioritiesCommand,
  type Action,
  type Rule,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise } from "./normalise.js";
import { createWeightedAlb, type WeightedAlb } from "./fixtures.js";

const region = "us-west-2";

const weighted = (alb: WeightedAlb, blue: number, green: number): Action[] => [
  { Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.blueArn, Weight: blue }, { TargetGroupArn: alb.greenArn, Weight: green }] } },
];

/** The weights a rule's forward action sends to each target group, keyed by target group ARN. */
function weightsOf(actions: Action[] | undefined): Record<string, number | undefined> {
  const forward = actions?.find((a) => a.Type === "forward");
  return Object.fromEntries((forward?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn ?? "", t.Weight]));
}

/** A header rule (X-Canary: 1) at priority 10 and a query-string rule (?canary=1) at 20, both all to green. */
async function createCanaryRules(b: Backend, alb: WeightedAlb): Promise<{ header: Rule; query: Rule }> {
  const header = await b.clients.elbv2.send(
    new CreateRuleCommand({
      ListenerArn: alb.listenerArn,
      Priority: 10,
      Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Canary", Values: ["1"] } }],
      Actions: weighted(alb, 0, 100),
    }),
  );
  const query = await b.clients.elbv2.send(
    new CreateRuleCommand({
      ListenerArn: alb.listenerArn,
      Priority: 20,
      Conditions: [{ Field: "query-string", QueryStringConfig: { Values: [{ Key: "canary", Value: "1" }] } }],
      Actions: weighted(alb, 0, 100),
    }),
  );
  const [h] = header.Rules ?? [];
  const [q] = query.Rules ?? [];
  if (!h?.RuleArn || !q?.RuleArn) throw new Error("CreateRule returned no rule ARN");
  return { header: h, query: q };
}

async function describeRules(b: Backend, alb: WeightedAlb): Promise<Rule[]> {
  return (await b.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: alb.listenerArn }))).Rules ?? [];
}

fidelitySuite("ELBv2 weighted routing", region, ({ both, compared, simOnly }) => {
  compared("creates an application load balancer that is found by name and ARN", async (b) => {
    const alb = await createWeightedAlb(b);
    expect(alb.loadBalancerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:${region}:${b.account}:loadbalancer/app/web/[0-9a-f]+$`));
    const byName = await b.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["web"] }));
    const byArn = await b.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [alb.loadBalancerArn] }));
    const lb = byName.LoadBalancers?.[0];
    expect(lb).toMatchObject({ LoadBalancerName: "web", Type: "application", Scheme: "internet-facing" });
    expect(byArn.LoadBalancers?.[0]?.LoadBalancerName).toBe("web");
    return normalise({ LoadBalancerArn: lb?.LoadBalancerArn, LoadBalancerName: lb?.LoadBalancerName, Type: lb?.Type, Scheme: lb?.Scheme }, b);
  });

  both("refuses to describe a load balancer that does not exist", async (b) => {
    const failed = await b.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["ghost"] })).catch((e: Error) => e);
    expect((failed as Error).name).toBe("LoadBalancerNotFoundException");
  });

  compared("target groups name the load balancers whose listeners forward to them", async (b) => {
    const alb = await createWeightedAlb(b);
    const out = await b.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [alb.blueArn, alb.greenArn] }));
    const groups = out.TargetGroups ?? [];
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group).toMatchObject({ Protocol: "HTTP", Port: 8080, TargetType: "ip", LoadBalancerArns: [alb.loadBalancerArn] });
    }
    expect(groups.map((g) => g.TargetGroupName).sort()).toEqual(["web-blue", "web-green"]);
    return normalise(
      groups
        .map((g) => ({ TargetGroupName: g.TargetGroupName, TargetGroupArn: g.TargetGroupArn, Protocol: g.Protocol, Port: g.Port, TargetType: g.TargetType, LoadBalancerArns: g.LoadBalancerArns }))
        .sort((x, y) => String(x.TargetGroupName).localeCompare(String(y.TargetGroupName))),
      b,
    );
  });

  compared("a listener's default action forwards by weight, and ModifyListener changes the weights", async (b) => {
    const alb = await createWeightedAlb(b);
    const before = await b.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [alb.listenerArn] }));
    expect(weightsOf(before.Listeners?.[0]?.DefaultActions)).toEqual({ [alb.blueArn]: 100, [alb.greenArn]: 0 });

    const modified = await b.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: alb.listenerArn, DefaultActions: weighted(alb, 90, 10) }));
    expect(weightsOf(modified.Listeners?.[0]?.DefaultActions)).toEqual({ [alb.blueArn]: 90, [alb.greenArn]: 10 });
    const after = await b.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: alb.loadBalancerArn }));
    const listener = after.Listeners?.[0];
    expect(listener).toMatchObject({ Port: 80, Protocol: "HTTP", LoadBalancerArn: alb.loadBalancerArn });
    expect(weightsOf(listener?.DefaultActions)).toEqual({ [alb.blueArn]: 90, [alb.greenArn]: 10 });
    return normalise({ Port: listener?.Port, Protocol: listener?.Protocol, weights: weightsOf(listener?.DefaultActions) }, b);
  });

  // The API reference promises no order for DescribeRules, so the rules are put in priority order here.
  compared("describes a listener's rules with their conditions, the default rule included", async (b) => {
    const alb = await createWeightedAlb(b);
    const { header, query } = await createCanaryRules(b, alb);
    const rank = (p: string | undefined) => (p === "default" ? Number.MAX_SAFE_INTEGER : Number(p));
    const rules = (await describeRules(b, alb)).sort((x, y) => rank(x.Priority) - rank(y.Priority));
    expect(rules.map((r) => r.Priority)).toEqual(["10", "20", "default"]);
    expect(rules.map((r) => r.IsDefault)).toEqual([false, false, true]);
    expect(rules[0]?.RuleArn).toBe(header.RuleArn);
    expect(rules[1]?.RuleArn).toBe(query.RuleArn);
    expect(rules[0]?.Conditions?.[0]).toMatchObject({ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Canary", Values: ["1"] } });
    expect(rules[1]?.Conditions?.[0]).toMatchObject({ Field: "query-string", QueryStringConfig: { Values: [{ Key: "canary", Value: "1" }] } });
    expect(weightsOf(rules[2]?.Actions)).toEqual({ [alb.blueArn]: 100, [alb.greenArn]: 0 });
    return normalise(
      rules.map((r) => ({
        Priority: r.Priority,
        IsDefault: r.IsDefault,
        conditions: (r.Conditions ?? []).map((c) => ({ Field: c.Field, HttpHeaderConfig: c.HttpHeaderConfig, QueryStringConfig: c.QueryStringConfig })),
        weights: weightsOf(r.Actions),
      })),
      b,
    );
  });

  both("refuses a second rule at a priority already taken on the listener", async (b) => {
    const alb = await createWeightedAlb(b);
    await createCanaryRules(b, alb);
    const failed = await b.clients.elbv2
      .send(new CreateRuleCommand({ ListenerArn: alb.listenerArn, Priority: 10, Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/x"] } }], Actions: weighted(alb, 100, 0) }))
      .catch((e: Error) => e);
    expect((failed as Error).name).toBe("PriorityInUseException");
  });

  both("ModifyRule changes a rule's forward weights and keeps its conditions", async (b) => {
    const alb = await createWeightedAlb(b);
    const { header } = await createCanaryRules(b, alb);
    const out = await b.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: header.RuleArn, Actions: weighted(alb, 50, 50) }));
    expect(weightsOf(out.Rules?.[0]?.Actions)).toEqual({ [alb.blueArn]: 50, [alb.greenArn]: 50 });
    const described = await b.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [header.RuleArn ?? ""] }));
    const rule = described.Rules?.[0];
    expect(weightsOf(rule?.Actions)).toEqual({ [alb.blueArn]: 50, [alb.greenArn]: 50 });
    expect(rule?.Conditions?.[0]?.HttpHeaderConfig).toEqual({ HttpHeaderName: "X-Canary", Values: ["1"] });
  });

  both("SetRulePriorities moves a rule to a free priority", async (b) => {
    const alb = await createWeightedAlb(b);
    const { header, query } = await createCanaryRules(b, alb);
    await b.clients.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: header.RuleArn, Priority: 30 }] }));
    const priorities = new Map((await describeRules(b, alb)).map((r) => [r.RuleArn, r.Priority]));
    expect(priorities.get(header.RuleArn)).toBe("30");
    expect(priorities.get(query.RuleArn)).toBe("20");
  });

  // AWS judges conflicts on the new order as a whole, so two rules can trade places in one call.
  simOnly("moto differs: checks each new priority against the old order, so a swap fails with PriorityInUse", "SetRulePriorities swaps two rules' priorities in one call", async (b) => {
    const alb = await createWeightedAlb(b);
    const { header, query } = await createCanaryRules(b, alb);
    await b.clients.elbv2.send(
      new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: header.RuleArn, Priority: 20 }, { RuleArn: query.RuleArn, Priority: 10 }] }),
    );
    const rules = await describeRules(b, alb);
    const priorityOf = (arn: string | undefined) => rules.find((r) => r.RuleArn === arn)?.Priority;
    expect(priorityOf(header.RuleArn)).toBe("20");
    expect(priorityOf(query.RuleArn)).toBe("10");
  });

  both("DeleteRule removes a rule; the default rule stays", async (b) => {
    const alb = await createWeightedAlb(b);
    const { header, query } = await createCanaryRules(b, alb);
    await b.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: header.RuleArn }));
    const rules = await describeRules(b, alb);
    expect(rules.map((r) => r.RuleArn)).toEqual([query.RuleArn, expect.any(String)]);
    expect(rules.at(-1)?.IsDefault).toBe(true);
  });

  simOnly("moto differs: answers an unmodelled error, not OperationNotPermitted", "refuses to delete a listener's default rule", async (b) => {
    const alb = await createWeightedAlb(b);
    const defaultRule = (await describeRules(b, alb)).find((r) => r.IsDefault);
    const failed = await b.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: defaultRule?.RuleArn })).catch((e: Error) => e);
    expect((failed as Error).name).toBe("OperationNotPermittedException");
  });
});
