import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CreateClusterCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DescribeRulesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Journal } from "../../../../src/engine/journal.js";
import { deployService } from "../../../../steps/service/index.js";
import type { Target } from "../../../../targets/target.js";
import { fidelityBackends, type Backend } from "../../../support/backends.js";
import { canaryFixture, journal, runOptions, step, WatchedJournal } from "./world.js";

/**
 * The canary's happy path against moto, which accepts every call it makes but does not model what happens after:
 * its task sets report STEADY_STATE at once and never run a task, and it enforces none of the guardrails (five task
 * sets, "Primary TaskSet cannot be deleted", deleting a set scaled above 0 without force). So stabilisation waits
 * are short-circuited with the explicit test-only skipStabilityWaits — a check accepting moto's static status would
 * be wrong for AWS — and only the plan, the weights at each stage and the cleanup are asserted here; the
 * simulator's tests cover waits, guardrails and traffic by revision.
 */
const motoUrl = inject("motoUrl");

describe.skipIf(!motoUrl)(`mode: canary against moto${motoUrl ? "" : ` (skipped: ${inject("motoUnavailable")})`}`, () => {
  let b: Backend;
  let target: Target;
  let groups: { primary: string; canary: string };
  let ruleArn: string;
  let subnets: { subnets: string[]; securityGroups: string[] };
  beforeAll(async () => {
    const entry = fidelityBackends().find((e) => e.name === "moto");
    if (!entry) throw new Error("no moto backend");
    b = await entry.start("eu-west-3");
    await b.reset();
    const net = await b.network();
    subnets = { subnets: net.subnets, securityGroups: net.securityGroups };
    await b.clients.ecs.send(new CreateClusterCommand({ clusterName: "shop-dev" }));
    for (const version of ["1.0.0", "2.0.0"]) {
      await b.clients.ecs.send(
        new RegisterTaskDefinitionCommand({ family: "shop-web", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "web", image: `shop/web:${version}`, memory: 512, portMappings: [{ containerPort: 8080 }] }] }),
      );
    }
    const lb = await b.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "shop-moto", Subnets: net.subnets, SecurityGroups: net.securityGroups }));
    const tg = async (name: string) => (await b.clients.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: net.vpcId, TargetType: "ip" }))).TargetGroups?.[0]?.TargetGroupArn ?? "";
    groups = { primary: await tg("shop-moto-blue"), canary: await tg("shop-moto-green") };
    const listener = await b.clients.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "", Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }] }),
    );
    const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? "";
    const rule = await b.clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } }],
        Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: groups.primary, Weight: 100 }, { TargetGroupArn: groups.canary, Weight: 0 }] } }],
      }),
    );
    ruleArn = rule.Rules?.[0]?.RuleArn ?? "";
    target = { environment: "dev", region: b.region, cluster: "shop-dev", endpoint: motoUrl ?? "", loadBalancer: { listener: { arn: listenerArn }, targetGroups: groups } };
  });
  afterAll(() => b?.close());

  async function weights(): Promise<string> {
    const out = await b.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
    const forward = out.Rules?.[0]?.Actions?.find((a) => a.Type === "forward")?.ForwardConfig?.TargetGroups ?? [];
    const of = (arn: string) => forward.find((g) => g.TargetGroupArn === arn)?.Weight ?? 0;
    return `${of(groups.primary)}/${of(groups.canary)}`;
  }

  it("creates the EXTERNAL service, walks the stages with the weights each promises, and cleans up to one primary task set", async () => {
    const stages = [{ canaryRollout: { scale: 50 } }, { trafficRouting: { canary: 10 } }, { trafficRouting: { canary: 50 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { canaryClean: {} }] as const;
    // moto checks subnets and security groups against its EC2 world.
    const loaded = step(canaryFixture, { service: "shop-web", stages: [...stages] as never, network: subnets });
    const ctx = (j: Journal = journal()) => ({ target, deploymentId: `moto-${Math.random().toString(36).slice(2, 8)}`, journal: j, clients: b.clients });
    await deployService(loaded, ctx(), runOptions({ override: "shop-web:1", skipStabilityWaits: true }));
    const seen: Record<string, string> = {};
    const watched = new WatchedJournal(journal(), async (stage) => {
      seen[stage] = await weights();
    });
    const { output } = await deployService(loaded, ctx(watched), runOptions({ override: "shop-web:2", skipStabilityWaits: true }));
    expect(output?.status).toBe("SUCCESSFUL");
    expect(seen).toEqual({
      "stage 1 canary rollout 50%": "100/0",
      "stage 2 traffic canary 10%": "90/10",
      "stage 3 traffic canary 50%": "50/50",
      "stage 4 primary rollout": "50/50",
      "stage 5 traffic primary 100%": "100/0",
      "stage 6 canary clean": "100/0",
    });
    const described = await b.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }));
    const sets = (described.services?.[0]?.taskSets ?? []).filter((t) => t.status !== "DRAINING");
    expect(described.services?.[0]?.deploymentController?.type).toBe("EXTERNAL");
    expect(sets.map((t) => [t.status, t.taskDefinition?.split("/").at(-1), t.loadBalancers?.[0]?.targetGroupArn === groups.primary])).toEqual([["PRIMARY", "shop-web:2", true]]);
  });
});
