import { CreateServiceCommand, DescribeServiceDeploymentsCommand, UpdateServiceCommand, type DeploymentConfiguration, type ServiceDeployment } from "@aws-sdk/client-ecs";
import { CreateRuleCommand, CreateTargetGroupCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, describeService, network, registerWeb } from "./ecs-fixtures.js";
import { createAlb, createListener, forwardTo } from "./elbv2-world.js";

/**
 * A world for ECS's native strategies, on a frozen clock moved by hand: two target groups on one ALB, a production
 * rule (every path) and a test rule (the verification header) that both forward to them, and the web:1 and web:2
 * task definitions. The traffic oracle says what share of a request each group would take.
 */
export const VERIFY = { "x-slipway-verify": "green" };

export interface NativeWorld {
  h: SimHarness;
  listenerArn: string;
  /** The service's primary group (blue after the first deployment) and its alternate (green for the second). */
  primaryTg: string;
  alternateTg: string;
  productionRule: string;
  testRule: string;
  v1: string;
  v2: string;
  close(): Promise<void>;
}

async function targetGroup(h: SimHarness, name: string): Promise<string> {
  const tg = await h.clients.elbv2.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", TargetType: "ip", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 }),
  );
  const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
  await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }] }));
  return arn;
}

export async function nativeWorld(): Promise<NativeWorld> {
  const h = await startSim({ speed: 1 });
  h.sim.clock.setSpeed(0);
  await createCluster(h, "c");
  const v1 = await registerWeb(h, "web", "web:1");
  const v2 = await registerWeb(h, "web", "web:2");
  const lb = await createAlb(h, "bg");
  const primaryTg = await targetGroup(h, "bg-blue");
  const alternateTg = await targetGroup(h, "bg-green");
  const listenerArn = await createListener(h, lb, 80, [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }]);
  const rule = async (priority: number, conditions: ConstructorParameters<typeof CreateRuleCommand>[0]["Conditions"]) =>
    (await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: conditions, Actions: forwardTo([primaryTg, 100], [alternateTg, 0]) }))).Rules?.[0]?.RuleArn ?? "";
  const testRule = await rule(1, [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Slipway-Verify", Values: ["green"] } }]);
  const productionRule = await rule(10, [{ Field: "path-pattern", PathPatternConfig: { Values: ["/*"] } }]);
  return { h, listenerArn, primaryTg, alternateTg, productionRule, testRule, v1, v2, close: () => h.close() };
}

export function loadBalancer(w: NativeWorld, advanced: Record<string, string> = {}) {
  return {
    targetGroupArn: w.primaryTg,
    containerName: "web",
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: w.alternateTg,
      productionListenerRule: w.productionRule,
      testListenerRule: w.testRule,
      roleArn: "arn:aws:iam::000000000000:role/ecsInfrastructureRoleForLoadBalancers",
      ...advanced,
    },
  };
}

/**
 * Creates service "s" on web:1 with `config` less its lifecycle hooks and lets its first deployment finish (an hour
 * of simulated time); then adds the hooks with UpdateService, which starts no deployment.
 */
export async function serviceOnV1(w: NativeWorld, config: DeploymentConfiguration): Promise<void> {
  const { lifecycleHooks, ...first } = config;
  await w.h.clients.ecs.send(
    new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: w.v1, desiredCount: 2, launchType: "FARGATE", networkConfiguration: network, loadBalancers: [loadBalancer(w)], deploymentConfiguration: first }),
  );
  w.h.sim.clock.advance(3600);
  const before = await describeService(w.h, "c", "s");
  if (before.deployments?.map((d) => d.rolloutState).join() !== "COMPLETED") throw new Error(`first deployment not done: ${JSON.stringify(before.deployments)}`);
  if (lifecycleHooks) {
    await w.h.clients.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", deploymentConfiguration: { ...first, lifecycleHooks } }));
    if ((await describeService(w.h, "c", "s")).currentServiceDeployment !== before.currentServiceDeployment) throw new Error("adding hooks started a deployment");
  }
}

export async function serviceDeployment(w: NativeWorld, arn: string): Promise<ServiceDeployment> {
  const out = await w.h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const found = out.serviceDeployments?.[0];
  if (!found) throw new Error(`no service deployment ${arn}`);
  return found;
}

interface RouteAnswer {
  targetGroups: { targetGroupArn: string; share: number }[];
}

/** The share of a request (with the verification header when `test`) the alternate group would take now. */
export async function alternateShare(w: NativeWorld, test: boolean): Promise<number> {
  const plan = (await w.h.control("POST", "elbv2/route", { listenerArn: w.listenerArn, path: "/", ...(test && { headers: VERIFY }) })) as RouteAnswer;
  return plan.targetGroups.find((g) => g.targetGroupArn === w.alternateTg)?.share ?? 0;
}

export interface Observation {
  /** Simulated seconds since the deployment started. */
  t: number;
  stage: string;
  status: string;
  production: number;
  test: number;
  hooks: { hookId: string; status: string }[];
  requestedProduction?: number;
}

/** Polls the deployment every `step` simulated seconds until `until` says stop (or `limit` seconds pass). */
export async function watch(w: NativeWorld, arn: string, step: number, limit: number, until: (o: Observation) => boolean): Promise<Observation[]> {
  const start = w.h.sim.clock.nowMs();
  const seen: Observation[] = [];
  for (let t = 0; t <= limit; t += step) {
    const d = await serviceDeployment(w, arn);
    const o: Observation = {
      t: (w.h.sim.clock.nowMs() - start) / 1000,
      stage: d.lifecycleStage ?? "",
      status: d.status ?? "",
      production: await alternateShare(w, false),
      test: await alternateShare(w, true),
      hooks: (d.lifecycleHookDetails ?? []).map((x) => ({ hookId: x.hookId ?? "", status: x.status ?? "" })),
      ...(d.targetServiceRevision?.requestedProductionTrafficWeight !== undefined && { requestedProduction: d.targetServiceRevision.requestedProductionTrafficWeight }),
    };
    seen.push(o);
    if (until(o)) return seen;
    w.h.sim.clock.advance(step);
  }
  return seen;
}

/** Each stage once, in the order first seen, with when and the traffic then. */
export function stages(seen: Observation[]): Observation[] {
  return seen.filter((o, i) => i === 0 || o.stage !== seen[i - 1]?.stage);
}
