import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  SetRulePrioritiesCommand,
  type RuleCondition,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { createAlb, createListener, createTargetGroup, failure, forwardTo } from "./elbv2-world.js";

const header = (value: string): RuleCondition[] => [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Canary", Values: [value] } }];

describe("ELBv2 listener rules and weighted forwards", () => {
  let h: SimHarness;
  let blue: string;
  let green: string;
  let listener: string;
  beforeAll(async () => {
    h = await startSim();
    const lb = await createAlb(h, "rules");
    blue = await createTargetGroup(h, "rules-blue");
    green = await createTargetGroup(h, "rules-green");
    listener = await createListener(h, lb, 80, [{ Type: "forward", TargetGroupArn: blue }]);
  });
  afterAll(() => h.close());

  it("describes the listener's default rule last, as AWS does, with a single group shown both ways", async () => {
    const created = await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 10, Conditions: header("on"), Actions: forwardTo([green, 1]) }));
    const ruleArn = created.Rules?.[0]?.RuleArn ?? "";
    expect(ruleArn).toMatch(/:listener-rule\/app\/rules\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);

    const rules = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }));
    expect(rules.Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([["10", false], ["default", true]]);
    const defaultRule = rules.Rules?.[1];
    expect(defaultRule?.Conditions).toEqual([]);
    expect(defaultRule?.Actions).toEqual([
      { Type: "forward", TargetGroupArn: blue, ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } },
    ]);
    expect(rules.Rules?.[0]?.Conditions).toEqual(header("on"));

    const notModifiable = await failure(h.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: defaultRule?.RuleArn, Actions: forwardTo([green, 1]) })));
    expect(notModifiable.name).toBe("OperationNotPermittedException");
    const notDeletable = await failure(h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: defaultRule?.RuleArn })));
    expect(notDeletable.name).toBe("OperationNotPermittedException");
    await h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    const after = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }));
    expect(after.Rules?.map((r) => r.Priority)).toEqual(["default"]);
  });

  it("keeps priorities unique per listener, also when they are set in bulk", async () => {
    const make = (priority: number, value: string) => h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: priority, Conditions: header(value), Actions: forwardTo([green, 1]) }));
    const a = (await make(20, "a")).Rules?.[0]?.RuleArn ?? "";
    const b = (await make(30, "b")).Rules?.[0]?.RuleArn ?? "";
    const taken = await failure(make(20, "c"));
    expect(taken.name).toBe("PriorityInUseException");
    expect(taken.message).toBe("Priority '20' is currently in use");
    const tooHigh = await failure(make(50001, "d"));
    expect(tooHigh.name).toBe("ValidationError");

    const clash = await failure(h.clients.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a, Priority: 30 }] })));
    expect(clash.name).toBe("PriorityInUseException");
    // Swapping two rules in one call is allowed: the new priorities are checked together.
    const swapped = await h.clients.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a, Priority: 30 }, { RuleArn: b, Priority: 20 }] }));
    expect(swapped.Rules?.map((r) => [r.RuleArn, r.Priority])).toEqual([[a, "30"], [b, "20"]]);
    const rules = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }));
    expect(rules.Rules?.map((r) => r.RuleArn)).toEqual([b, a, rules.Rules?.[2]?.RuleArn]);

    const defaultArn = rules.Rules?.[2]?.RuleArn ?? "";
    const moveDefault = await failure(h.clients.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: defaultArn, Priority: 5 }] })));
    expect(moveDefault.name).toBe("OperationNotPermittedException");

    const paged = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener, PageSize: 2 }));
    expect(paged.Rules).toHaveLength(2);
    const rest = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener, PageSize: 2, Marker: paged.NextMarker }));
    expect(rest.Rules?.map((r) => r.IsDefault)).toEqual([true]);
    await h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: a }));
    await h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: b }));
  });

  it("round-trips weights through ModifyRule and describes them", async () => {
    const rule = (await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 40, Conditions: header("w"), Actions: forwardTo([blue, 1]) }))).Rules?.[0]?.RuleArn ?? "";
    const modified = await h.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: rule, Actions: forwardTo([blue, 90], [green, 10]) }));
    expect(modified.Rules?.[0]?.Actions).toEqual([
      { Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 90 }, { TargetGroupArn: green, Weight: 10 }], TargetGroupStickinessConfig: { Enabled: false } } },
    ]);
    const described = await h.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [rule] }));
    expect(described.Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups).toEqual([{ TargetGroupArn: blue, Weight: 90 }, { TargetGroupArn: green, Weight: 10 }]);
    expect(described.Rules?.[0]?.Conditions).toEqual(header("w"));

    const newConditions: RuleCondition[] = [{ Field: "query-string", QueryStringConfig: { Values: [{ Key: "canary", Value: "true" }] } }];
    const onlyConditions = await h.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: rule, Conditions: newConditions }));
    expect(onlyConditions.Rules?.[0]?.Conditions).toEqual(newConditions);
    expect(onlyConditions.Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups).toHaveLength(2);
    await h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: rule }));
  });

  it("refuses bad weights, too many groups, unknown groups and an inconsistent TargetGroupArn", async () => {
    const make = (actions: Parameters<typeof forwardTo>) => h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 50, Conditions: header("x"), Actions: forwardTo(...actions) }));
    const heavy = await failure(make([[blue, 1000], [green, 0]]));
    expect(heavy.name).toBe("ValidationError");
    expect(heavy.message).toContain("Member must have value less than or equal to 999");
    const negative = await failure(make([[blue, -1]]));
    expect(negative.name).toBe("ValidationError");

    const extra = await Promise.all([1, 2, 3, 4].map((i) => createTargetGroup(h, `rules-extra-${i}`)));
    const six = await failure(make([[blue, 1], [green, 1], ...extra.map((arn): [string, number] => [arn, 1])]));
    expect(six.name).toBe("ValidationError");
    expect(six.message).toContain("Member must have length less than or equal to 5");

    const unknown = await failure(make([[blue.replace(/[0-9a-f]{16}$/, "0000000000000000"), 1]]));
    expect(unknown.name).toBe("TargetGroupNotFoundException");

    const inconsistent = await failure(
      h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 50, Conditions: header("x"), Actions: [{ Type: "forward", TargetGroupArn: blue, ForwardConfig: { TargetGroups: [{ TargetGroupArn: green }] } }] })),
    );
    expect(inconsistent.name).toBe("ValidationError");

    const otherLb = await createAlb(h, "rules-other");
    const stolen = await failure(createListener(h, otherLb, 80, forwardTo([blue, 1])));
    expect(stolen.name).toBe("TargetGroupAssociationLimitException");

    const rules = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }));
    expect(rules.Rules?.map((r) => r.Priority)).toEqual(["default"]);
  });

  it("refuses rules without conditions or with more values than AWS allows", async () => {
    const make = (conditions: RuleCondition[]) => h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 60, Conditions: conditions, Actions: forwardTo([green, 1]) }));
    expect((await failure(make([]))).name).toBe("ValidationError");
    expect((await failure(make([{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-A", Values: ["1", "2", "3", "4"] } }]))).name).toBe("ValidationError");
    const six: RuleCondition[] = ["a", "b", "c"].map((n) => ({ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: `X-${n}`, Values: ["1", "2"] } }));
    expect((await failure(make(six))).message).toBe("A rule can only have '5' condition values");
    expect((await failure(make([{ Field: "path-pattern", Values: ["/a"] }, { Field: "path-pattern", Values: ["/b"] }]))).name).toBe("ValidationError");
  });

  it("shifts the listener's default traffic with ModifyListener weights", async () => {
    const out = await h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([blue, 80], [green, 20]) }));
    expect(out.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual([{ TargetGroupArn: blue, Weight: 80 }, { TargetGroupArn: green, Weight: 20 }]);
    const described = await h.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }));
    expect(described.Listeners?.[0]?.DefaultActions?.[0]?.TargetGroupArn).toBeUndefined();
    expect(described.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([80, 20]);
    const rules = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener }));
    expect(rules.Rules?.[0]?.Actions).toEqual(described.Listeners?.[0]?.DefaultActions);

    const refused = await failure(h.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forwardTo([blue, 1000]) })));
    expect(refused.name).toBe("ValidationError");
    const unchanged = await h.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] }));
    expect(unchanged.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([80, 20]);
  });
});
