import { describe, expect, it } from "vitest";
import type { ListenerRule, RuleMatch } from "../../../src/aws/listener-rules.js";
import { ConflictError } from "../../../src/errors.js";
import { desiredRules } from "../../../steps/verification/desired.js";
import { verificationTags, type VerificationIdentity } from "../../../steps/verification/identity.js";
import { planClose, planOpen, planSweep } from "../../../steps/verification/plan.js";

const primary = "tg/primary";
const canary = "tg/canary";
const me: VerificationIdentity = { service: "shop-web", environment: "prod", deploymentId: "dep-2" };
const noMatch: RuleMatch = { headers: [], query: [], hosts: [], paths: [], other: 0 };

const rule = (arn: string, priority: number | "default", forwardsTo: string[], tags: Record<string, string> = {}, match = noMatch): ListenerRule => ({ arn, priority, forwardsTo, tags, match });
const production = (priority: number | "default") => rule(`prod-${priority}`, priority, [primary, canary]);
const matches = { header: { name: "X-Slipway-Verify", values: ["t1"] }, query: { key: "slipway-verify", value: "t1" } };
const desired = desiredRules(matches, { hosts: ["shop.example.com"], paths: [] });
const headerMatch: RuleMatch = { headers: [{ name: "X-Slipway-Verify", values: ["t1"] }], query: [], hosts: ["shop.example.com"], paths: [], other: 0 };

function open(current: ListenerRule[]) {
  return planOpen({ step: "verification:shop-web", identity: me, listenerArn: "listener", current, serviceTargetGroupArns: [primary, canary], newTargetGroupArn: canary, desired });
}

const priorities = (plan: ReturnType<typeof open>["plan"]) => plan.actions.map((a) => (a.kind === "create-rule" ? `create ${a.params.kind}@${a.params.rule.priority}` : `delete ${a.params.ruleArn}`));

describe("planning verification rules (pure)", () => {
  it.each<[string, ListenerRule[], string[]]>([
    ["takes the free numbers just below the lowest production rule", [production(10), production(20), rule("other", 5, ["tg/other"]), rule("default", "default", [])], ["create header@8", "create query@9"]],
    ["skips numbers other rules hold", [production(10), rule("x", 9, ["tg/other"]), rule("y", 7, ["tg/other"])], ["create header@6", "create query@8"]],
    ["wins over a production default action alone from the top of the range", [rule("default", "default", [primary])], ["create header@49999", "create query@50000"]],
    ["counts a weighted rule that gives the service weight 0 as production", [rule("w", 4, ["tg/other", canary]), production(10)], ["create header@2", "create query@3"]],
  ])("%s", (_, current, expected) => {
    expect(priorities(open(current).plan)).toEqual(expected);
  });

  it("writes the owner, deployment, service, environment and match tags on each rule", () => {
    const create = open([production(10)]).plan.actions[0];
    expect(create?.kind === "create-rule" && create.params.rule).toMatchObject({ priority: 8, targetGroupArn: canary, tags: verificationTags(me, "header"), match: { headers: [{ name: "X-Slipway-Verify", values: ["t1"] }], hosts: ["shop.example.com"] } });
    expect(create?.key).toMatch(/^create header rule [0-9a-f]{12}$/);
  });

  it("keeps a rule this deployment already made (a rerun after a crash) and deletes ones other deployments left", () => {
    const mine = rule("mine", 9, [canary], verificationTags(me, "header"), headerMatch);
    const leaked = rule("leaked", 8, [canary], verificationTags({ ...me, deploymentId: "dep-1" }, "query"));
    const otherService = rule("theirs", 7, ["tg/api"], verificationTags({ ...me, service: "shop-api" }, "query"));
    const { plan, kept } = open([production(10), mine, leaked, otherService]);
    expect(kept).toEqual([{ kind: "header", ruleArn: "mine", priority: 9 }]);
    // The leaked rule's number is free again once it is deleted, and deletes run first.
    expect(priorities(plan)).toEqual(["delete leaked", "create query@8"]);
  });

  it("replaces its own rule when the step's match changed or production moved below it", () => {
    const stale = rule("stale", 9, [canary], verificationTags(me, "header"), { ...headerMatch, headers: [{ name: "X-Slipway-Verify", values: ["old"] }] });
    expect(priorities(open([production(10), stale]).plan)).toEqual(["delete stale", "create header@8", "create query@9"]);
    const outranked = rule("outranked", 9, [canary], verificationTags(me, "header"), headerMatch);
    expect(priorities(open([production(6), outranked]).plan)).toEqual(["delete outranked", "create header@4", "create query@5"]);
  });

  it("refuses when no numbers are free below production, naming the rules to renumber", () => {
    let error: unknown;
    try {
      open([production(3), rule("admin", 1, ["tg/other"])]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(
      "No room for 2 verification rule(s) on listener listener: they must win over production, but the lowest rule forwarding to shop-web's target groups is at priority 3 (prod-3); priorities below it are taken by 1 (admin).",
    );
    expect((error as ConflictError).hint).toContain("Renumber the rule at priority 3");
  });

  it("closes only this deployment's rules and sweeps only other deployments' rules of the same service and environment", () => {
    const mine = rule("mine", 9, [canary], verificationTags(me, "header"));
    const leaked = rule("leaked", 8, [canary], verificationTags({ ...me, deploymentId: "dep-1" }, "header"));
    const otherEnv = rule("staging", 7, [canary], verificationTags({ ...me, environment: "staging", deploymentId: "dep-1" }, "header"));
    const current = [production(10), mine, leaked, otherEnv];
    expect(planClose("c", current, me).actions.map((a) => a.key)).toEqual(["delete mine"]);
    expect(planSweep("s", current, me).actions.map((a) => a.key)).toEqual(["delete leaked"]);
    expect(planClose("c", [production(10)], me).actions).toEqual([]);
  });
});
