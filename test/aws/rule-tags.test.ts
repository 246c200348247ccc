import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { ElbListenerRules } from "../../src/aws/listener-rules.js";
import { ElbListenerWeights } from "../../src/aws/listener-weights.js";

/**
 * A dashboard reads a listener's rules while a deployment changes them: a verification rule deleted between the
 * DescribeRules that listed it and the DescribeTags that reads its tags is gone, not a failed read (which the
 * API answered 502 and the dashboard showed as an error).
 */
describe("reading a listener's rules while one of them is deleted", () => {
  let h: SimHarness;
  let listenerArn = "";
  let blue = "";
  let green = "";
  beforeAll(async () => {
    h = await startSim();
    const elb = h.clients.elbv2;
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: "shop", Subnets: ["subnet-a", "subnet-b"] }));
    const group = async (name: string) => (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 80, VpcId: "vpc-1", TargetType: "ip" }))).TargetGroups?.[0]?.TargetGroupArn ?? "";
    blue = await group("shop-blue");
    green = await group("shop-green");
    const listener = await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 1 }, { TargetGroupArn: green, Weight: 0 }] } }] }),
    );
    listenerArn = listener.Listeners?.[0]?.ListenerArn ?? "";
  });
  afterAll(() => h.close());

  /** A client whose first DescribeTags is preceded by deleting the rule: the deletion lands between the two reads. */
  function deletingBeforeTags(ruleArn: string): ElasticLoadBalancingV2Client {
    const client = new ElasticLoadBalancingV2Client({ region: h.region, endpoint: h.url, credentials: { accessKeyId: "AKIDSIM", secretAccessKey: "sim" } });
    let deleted = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "DescribeTagsCommand" && !deleted) {
          deleted = true;
          await h.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
        }
        return next(args);
      },
      { step: "initialize", name: "deleteRuleBeforeTags" },
    );
    return client;
  }

  async function verificationRule(priority: number): Promise<string> {
    const out = await h.clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: priority,
        Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Verify", Values: ["tester"] } }],
        Actions: [{ Type: "forward", TargetGroupArn: green }],
        Tags: [{ Key: "slipway:rule", Value: `verify-${priority}` }],
      }),
    );
    return out.Rules?.[0]?.RuleArn ?? "";
  }

  it("lists the rules that still exist, with their tags", async () => {
    const kept = await verificationRule(10);
    const gone = await verificationRule(20);
    const client = deletingBeforeTags(gone);
    try {
      const rules = await new ElbListenerRules(client).rulesOf(listenerArn);
      expect(rules.map((r) => r.priority)).toEqual([10, "default"]);
      expect(rules.find((r) => r.arn === kept)?.tags).toEqual({ "slipway:rule": "verify-10" });
    } finally {
      client.destroy();
    }
  });

  it("finds the rules forwarding to the target groups, without the deleted one", async () => {
    const gone = await verificationRule(30);
    const client = deletingBeforeTags(gone);
    try {
      const forwarding = await new ElbListenerWeights(client).forwardingTo([blue, green]);
      expect(forwarding.map((r) => r.arn)).not.toContain(gone);
      expect(forwarding.filter((r) => r.isDefault)).toHaveLength(1);
      expect(forwarding.filter((r) => !r.isDefault).map((r) => r.tags)).toEqual([{ "slipway:rule": "verify-10" }]);
    } finally {
      client.destroy();
    }
  });
});
