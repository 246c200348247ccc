import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteRuleCommand, DescribeRulesCommand, DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ElbListenerRules } from "../../../src/aws/listener-rules.js";
import { ConflictError } from "../../../src/errors.js";
import { closeVerification, openVerification, sweepLeakedVerificationRules, type OpenVerificationRequest } from "../../../steps/verification/index.js";
import { executeVerificationPlan } from "../../../steps/verification/execute.js";
import { planClose } from "../../../steps/verification/plan.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { callsSince, resetCalls } from "../task-definition/world.js";
import { CrashingJournal, execution, journal, servedBy, shopListener, type ShopListener } from "./world.js";

const matches = { header: { name: "X-Slipway-Verify", values: ["tester-7f3a"] }, query: { key: "slipway-verify", value: "tester-7f3a" } };

describe("verification rules against the simulator", () => {
  let h: SimHarness;
  let port: ElbListenerRules;
  beforeAll(async () => {
    h = await startSim();
    port = new ElbListenerRules(h.clients.elbv2);
  });
  afterAll(() => h.close());
  beforeEach(() => resetCalls(h));

  const request = (shop: ShopListener, deploymentId: string): OpenVerificationRequest => ({
    identity: { service: "shop-web", environment: "prod", deploymentId },
    listenerArn: shop.listenerArn,
    serviceTargetGroupArns: [shop.primary, shop.canary],
    newTargetGroupArn: shop.canary,
    matches,
    scope: { hosts: ["shop.example.com"], paths: [] },
  });

  async function ruleTags(arns: string[]): Promise<Record<string, string>[]> {
    const out = await h.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: arns }));
    return (out.TagDescriptions ?? []).map((d) => Object.fromEntries((d.Tags ?? []).map((t) => [t.Key, t.Value])));
  }

  async function priorities(listenerArn: string): Promise<string[]> {
    const out = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    return (out.Rules ?? []).map((r) => r.Priority ?? "");
  }

  it("sends requests with the header or query to the new stack and the rest to production, tagged, and closes cleanly", async () => {
    const shop = await shopListener(h, "verify-open");
    const opened = await openVerification(request(shop, "dep-1"), port, execution("dep-1"));
    expect(opened.rules.map((r) => [r.kind, r.priority])).toEqual([["header", 8], ["query", 9]]);

    expect(await servedBy(h, shop.listenerArn, { headers: { "X-Slipway-Verify": "tester-7f3a" } })).toBe(shop.canary);
    expect(await servedBy(h, shop.listenerArn, { query: { "slipway-verify": "tester-7f3a" } })).toBe(shop.canary);
    expect(await servedBy(h, shop.listenerArn, {})).toBe(shop.primary);
    expect(await servedBy(h, shop.listenerArn, { headers: { "X-Slipway-Verify": "guess" } })).toBe(shop.primary);
    // Scoped to the production route's host: another host's requests with the header are not captured.
    expect(await servedBy(h, shop.listenerArn, { host: "admin.example.com", headers: { "X-Slipway-Verify": "tester-7f3a" } })).toBe(shop.other);

    const tags = await ruleTags(opened.rules.map((r) => r.ruleArn));
    expect(tags[0]).toEqual({ "slipway:owner": "verification", "slipway:deployment": "dep-1", "slipway:service": "shop-web", "slipway:environment": "prod", "slipway:match": "header" });
    expect(tags[1]?.["slipway:match"]).toBe("query");

    const closed = await closeVerification({ identity: request(shop, "dep-1").identity, listenerArn: shop.listenerArn }, port, execution("dep-1"));
    expect(closed.deleted.map((d) => d.outcome)).toEqual(["deleted", "deleted"]);
    expect(await priorities(shop.listenerArn)).toEqual(["5", "10", "default"]);
    expect(await servedBy(h, shop.listenerArn, { headers: { "X-Slipway-Verify": "tester-7f3a" } })).toBe(shop.primary);
  });

  it("opening again in the same deployment writes nothing; closing twice is done", async () => {
    const shop = await shopListener(h, "verify-again");
    const j = journal();
    const first = await openVerification(request(shop, "dep-1"), port, execution("dep-1", j));
    await resetCalls(h);
    const second = await openVerification(request(shop, "dep-1"), port, execution("dep-1", j));
    expect(second.plan.actions).toEqual([]);
    expect(second.rules).toEqual(first.rules);
    expect((await callsSince(h)).writes).toEqual({});

    await closeVerification({ identity: request(shop, "dep-1").identity, listenerArn: shop.listenerArn }, port, execution("dep-1", j));
    await resetCalls(h);
    const again = await closeVerification({ identity: request(shop, "dep-1").identity, listenerArn: shop.listenerArn }, port, execution("dep-1", j));
    expect(again.deleted).toEqual([]);
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("a crash after CreateRule but before the journal recorded it leaks nothing: the rerun finds the rule by its tags", async () => {
    const shop = await shopListener(h, "verify-crash");
    const j = journal();
    // Appends: 1 started(header), 2 succeeded(header), 3 started(query), 4 succeeded(query) ← killed here.
    await expect(openVerification(request(shop, "dep-1"), port, execution("dep-1", new CrashingJournal(j, 4)))).rejects.toThrow("process killed");
    expect(await priorities(shop.listenerArn)).toEqual(["5", "8", "9", "10", "default"]);

    await resetCalls(h);
    const resumed = await openVerification(request(shop, "dep-1"), port, execution("dep-1", j));
    expect(resumed.plan.actions).toEqual([]);
    expect(resumed.rules.map((r) => [r.kind, r.priority])).toEqual([["header", 8], ["query", 9]]);
    expect((await callsSince(h)).writes).toEqual({});
    expect(await priorities(shop.listenerArn)).toEqual(["5", "8", "9", "10", "default"]);
  });

  it("a later deployment sweeps the rules a crashed one left, and reuses their numbers", async () => {
    const shop = await shopListener(h, "verify-sweep");
    await expect(openVerification(request(shop, "dep-crashed"), port, execution("dep-crashed", new CrashingJournal(journal(), 2)))).rejects.toThrow("process killed");
    const leftBehind = await priorities(shop.listenerArn);
    expect(leftBehind).toEqual(["5", "8", "10", "default"]);

    const swept = await sweepLeakedVerificationRules({ identity: request(shop, "dep-2").identity, listenerArn: shop.listenerArn }, port, execution("dep-2"));
    expect(swept.deleted).toHaveLength(1);
    expect(await priorities(shop.listenerArn)).toEqual(["5", "10", "default"]);

    // openVerification sweeps too.
    await expect(openVerification(request(shop, "dep-3"), port, execution("dep-3", new CrashingJournal(journal(), 2)))).rejects.toThrow("process killed");
    const opened = await openVerification(request(shop, "dep-4"), port, execution("dep-4"));
    expect(opened.plan.actions.map((a) => a.kind)).toEqual(["delete-rule", "create-rule", "create-rule"]);
    expect(opened.rules.map((r) => r.priority)).toEqual([8, 9]);
    const tags = await ruleTags(opened.rules.map((r) => r.ruleArn));
    expect(tags.map((t) => t["slipway:deployment"])).toEqual(["dep-4", "dep-4"]);
  });

  it("counts a rule deleted behind its back (between reading and deleting) as closed", async () => {
    const shop = await shopListener(h, "verify-gone");
    const identity = request(shop, "dep-1").identity;
    const opened = await openVerification(request(shop, "dep-1"), port, execution("dep-1"));
    const plan = planClose("verification-close:shop-web", await port.rulesOf(shop.listenerArn), identity);
    await h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: opened.rules[0]?.ruleArn }));
    const executed = await executeVerificationPlan(plan, port, execution("dep-1"));
    expect(executed.map((e) => e.result)).toEqual([
      { ruleArn: opened.rules[0]?.ruleArn, outcome: "not-found" },
      { ruleArn: opened.rules[1]?.ruleArn, outcome: "deleted" },
    ]);
    expect(await priorities(shop.listenerArn)).toEqual(["5", "10", "default"]);
  });

  it("refuses before any write when no priorities are free below production", async () => {
    const shop = await shopListener(h, "verify-full", { production: 3, other: 1 });
    await resetCalls(h);
    const failure = openVerification(request(shop, "dep-1"), port, execution("dep-1"));
    await expect(failure).rejects.toBeInstanceOf(ConflictError);
    await expect(failure).rejects.toThrow(/the lowest rule forwarding to shop-web's target groups is at priority 3 \(arn:.*\); priorities below it are taken by 1 \(arn:/);
    expect((await callsSince(h)).writes).toEqual({});
  });
});
