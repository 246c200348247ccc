import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateRuleCommand, type RuleCondition } from "@aws-sdk/client-elastic-load-balancing-v2";
import { matchRule, trafficShares, type RoutableRule } from "../../src/sim/elbv2/routing.js";
import { conditionMatches, type RoutedRequest } from "../../src/sim/elbv2/condition-match.js";
import { parseRoutedRequest } from "../../src/sim/elbv2/route-control.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { createAlb, createListener, createTargetGroup, forwardTo } from "./elbv2-world.js";

const cond = {
  header: (name: string, ...values: string[]): RuleCondition => ({ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: name, Values: values } }),
  query: (...pairs: { Key?: string; Value: string }[]): RuleCondition => ({ Field: "query-string", QueryStringConfig: { Values: pairs } }),
  host: (...values: string[]): RuleCondition => ({ Field: "host-header", HostHeaderConfig: { Values: values } }),
  path: (...values: string[]): RuleCondition => ({ Field: "path-pattern", Values: values }),
  method: (...values: string[]): RuleCondition => ({ Field: "http-request-method", HttpRequestMethodConfig: { Values: values } }),
  sourceIp: (...values: string[]): RuleCondition => ({ Field: "source-ip", SourceIpConfig: { Values: values } }),
};

describe("rule conditions (pure)", () => {
  it.each<[string, RuleCondition, RoutedRequest, boolean]>([
    ["header names ignore case", cond.header("X-Canary", "on"), { headers: { "x-canary": "on" } }, true],
    ["header values ignore case", cond.header("X-Canary", "ON"), { headers: { "X-Canary": "on" } }, true],
    ["any header value may match", cond.header("X-Canary", "yes", "on"), { headers: { "X-Canary": "on" } }, true],
    ["a missing header never matches", cond.header("X-Canary", "*"), { headers: {} }, false],
    ["'*' in a header value", cond.header("User-Agent", "*Mobile*"), { headers: { "user-agent": "Foo Mobile Safari" } }, true],
    ["'?' matches exactly one character", cond.header("X-Version", "v?"), { headers: { "X-Version": "v10" } }, false],
    ["query key and value", cond.query({ Key: "canary", Value: "true" }), { query: { canary: "TRUE" } }, true],
    ["query value under another key", cond.query({ Key: "canary", Value: "true" }), { query: { other: "true" } }, false],
    ["query value without a key matches any key", cond.query({ Value: "true" }), { query: { other: "true" } }, true],
    ["query key wildcard", cond.query({ Key: "ver*", Value: "2" }), { query: { version: "2" } }, true],
    ["escaped '*' is literal", cond.query({ Key: "q", Value: "a\\*" }), { query: { q: "ab" } }, false],
    ["escaped '*' matches a literal star", cond.query({ Key: "q", Value: "a\\*" }), { query: { q: "a*" } }, true],
    ["host ignores case and port", cond.host("*.Example.com"), { host: "api.example.com:8443" }, true],
    ["host must match whole", cond.host("example.com"), { host: "api.example.com" }, false],
    ["path is case-sensitive", cond.path("/API/*"), { path: "/api/x" }, false],
    ["path wildcard", cond.path("/api/*"), { path: "/api/users/1" }, true],
    ["path defaults to /", cond.path("/"), {}, true],
    ["method is exact", cond.method("POST"), { method: "post" }, false],
    ["method defaults to GET", cond.method("GET", "HEAD"), {}, true],
    ["source IP in CIDR", cond.sourceIp("10.0.0.0/8"), { sourceIp: "10.1.2.3" }, true],
    ["source IP outside CIDR", cond.sourceIp("10.0.0.0/8"), { sourceIp: "192.168.0.1" }, false],
    ["IPv6 source IP", cond.sourceIp("2001:db8::/32"), { sourceIp: "2001:db8::1" }, true],
  ])("%s", (_, condition, request, expected) => {
    expect(conditionMatches(condition, request)).toBe(expected);
  });
});

describe("rule evaluation (pure)", () => {
  const rule = (arn: string, priority: number | "default", conditions: RuleCondition[]): RoutableRule => ({ arn, priority, conditions, actions: [] });
  const rules = [
    rule("default", "default", []),
    rule("verify", 5, [cond.header("X-Slipway-Verify", "v2")]),
    rule("api-canary", 10, [cond.path("/api/*"), cond.query({ Key: "canary", Value: "1" })]),
    rule("api", 20, [cond.path("/api/*")]),
  ];

  it.each<[string, RoutedRequest, string]>([
    ["no rule matches, so the default rule decides", { path: "/" }, "default"],
    ["the verification header wins over later rules", { path: "/api/x", headers: { "x-slipway-verify": "v2" } }, "verify"],
    ["all conditions of a rule must hold", { path: "/home", query: { canary: "1" } }, "default"],
    ["the lowest matching priority wins", { path: "/api/x", query: { canary: "1" } }, "api-canary"],
    ["a later rule catches the rest", { path: "/api/x" }, "api"],
  ])("%s", (_, request, expected) => {
    expect(matchRule(rules, request)?.arn).toBe(expected);
  });

  it("shares traffic by weight over the sum of weights", () => {
    const shares = trafficShares({ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: "a", Weight: 90 }, { TargetGroupArn: "b", Weight: 10 }] } });
    expect(shares).toEqual([{ targetGroupArn: "a", weight: 90, share: 0.9 }, { targetGroupArn: "b", weight: 10, share: 0.1 }]);
    const none = trafficShares({ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: "a", Weight: 0 }] } });
    expect(none).toEqual([{ targetGroupArn: "a", weight: 0, share: 0 }]);
  });
});

describe("route control requests", () => {
  it("splits a query string off the path and keeps explicit query values", () => {
    expect(parseRoutedRequest({ path: "/api?canary=1&v=2", query: { v: "3" } })).toEqual({ path: "/api", query: { canary: "1", v: "3" } });
    expect(parseRoutedRequest({ path: "/plain" })).toEqual({ path: "/plain" });
  });

  it("refuses non-string header values", () => {
    expect(() => parseRoutedRequest({ headers: { "x-a": 1 } })).toThrow(/headers must be an object of string values/);
  });
});

describe("the route control", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("sends only requests with the verification header to the new group, to its healthy targets", async () => {
    const lb = await createAlb(h, "route");
    const live = await createTargetGroup(h, "route-live");
    const next = await createTargetGroup(h, "route-next");
    const listener = await createListener(h, lb, 80, forwardTo([live, 100], [next, 0]));
    await h.clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listener,
        Priority: 1,
        Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Slipway-Verify", Values: ["next"] } }],
        Actions: forwardTo([next, 1]),
      }),
    );
    const now = h.sim.clock.now();
    h.sim.elbv2.registerTarget(h.region, live, { id: "10.0.0.1", port: 8080, taskArn: "arn:aws:ecs:us-east-1:000000000000:task/c/live1", passesHealthCheck: true }, now);
    h.sim.elbv2.registerTarget(h.region, next, { id: "10.0.0.2", port: 8080, taskArn: "arn:aws:ecs:us-east-1:000000000000:task/c/next1", passesHealthCheck: true }, now);
    await h.control("POST", "clock", { advanceSeconds: 150 });

    type Route = { rule: { isDefault: boolean; priority: string }; targetGroups: { targetGroupArn: string; weight: number; share: number; targets: { id: string; taskArn?: string; health: string }[] }[] };
    const verified = (await h.control("POST", "elbv2/route", { listenerArn: listener, path: "/", headers: { "x-slipway-verify": "NEXT" } })) as Route;
    expect(verified.rule).toMatchObject({ priority: "1", isDefault: false });
    expect(verified.targetGroups).toHaveLength(1);
    expect(verified.targetGroups[0]).toMatchObject({ targetGroupArn: next, weight: 1, share: 1 });
    expect(verified.targetGroups[0]?.targets).toMatchObject([{ id: "10.0.0.2", taskArn: "arn:aws:ecs:us-east-1:000000000000:task/c/next1", health: "healthy" }]);

    const ordinary = (await h.control("POST", "elbv2/route", { listenerArn: listener, path: "/", headers: { "x-slipway-verify": "other" } })) as Route;
    expect(ordinary.rule).toMatchObject({ priority: "default", isDefault: true });
    expect(ordinary.targetGroups.map((g) => [g.targetGroupArn, g.share])).toEqual([[live, 1], [next, 0]]);
    expect(ordinary.targetGroups[0]?.targets.map((t) => t.id)).toEqual(["10.0.0.1"]);

    await expect(h.control("POST", "elbv2/route", { listenerArn: `${listener}0` })).rejects.toThrow(/ListenerNotFound/);
  });
});
