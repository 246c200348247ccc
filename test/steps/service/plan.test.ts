import { describe, expect, it } from "vitest";
import { ConflictError } from "../../../src/errors.js";
import { planRolling } from "../../../steps/service/rolling/plan.js";
import type { DesiredService, ObservedService } from "../../../steps/service/state.js";

const td = (n: number) => `arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:${n}`;
const tg = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-blue/0123456789abcdef";
const network = { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"], assignPublicIp: false };
const breaker = { enable: true, rollback: true };

const desired: DesiredService = {
  cluster: "shop-dev",
  serviceName: "shop-web",
  taskDefinitionArn: td(2),
  desiredCount: 2,
  launchType: "FARGATE",
  network,
  loadBalancers: [{ targetGroupArn: tg, containerName: "web", containerPort: 8080 }],
  deployment: { minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: breaker },
  healthCheckGracePeriodSeconds: 60,
  forceNewDeployment: false,
  schedulingStrategy: "REPLICA",
  definition: {},
  tags: [],
};

/** The service ECS would describe after deploying `desired` with revision `revision`. */
const running = (revision: number, change: Partial<ObservedService> = {}): ObservedService => ({
  arn: "arn:aws:ecs:us-east-1:000000000000:service/shop-dev/shop-web",
  name: "shop-web",
  cluster: "shop-dev",
  status: "ACTIVE",
  controller: "ECS",
  taskDefinitionArn: td(revision),
  desiredCount: 2,
  launchType: "FARGATE",
  network: { ...network, subnets: ["subnet-b", "subnet-a"] },
  loadBalancers: desired.loadBalancers ?? [],
  deployment: desired.deployment,
  healthCheckGracePeriodSeconds: 60,
  schedulingStrategy: "REPLICA",
  definition: {},
  deploymentCount: 1,
  eventIds: [],
  ...change,
});

const noDiff = { taskDefinitionDiff: [] };

describe("planning a rolling deployment: current service + desired → actions", () => {
  it.each([
    ["no service yet", undefined, desired, ["create-service"], { serviceName: "shop-web", taskDefinition: td(2), deploymentController: { type: "ECS" } }],
    ["the same revision, count and settings (subnets in another order)", running(2), desired, [], undefined],
    ["a new revision", running(1), desired, ["update-service"], { cluster: "shop-dev", service: "shop-web", taskDefinition: td(2) }],
    ["only the count", running(2, { desiredCount: 3 }), desired, ["update-service"], { cluster: "shop-dev", service: "shop-web", desiredCount: 2 }],
    ["the circuit breaker turned on", running(2, { deployment: { ...desired.deployment, circuitBreaker: { enable: false, rollback: false } } }), desired, ["update-service"], { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: breaker } }],
    ["another subnet", running(2, { network: { ...network, subnets: ["subnet-c"] } }), desired, ["update-service"], { networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" } } }],
    ["no load balancer yet", running(2, { loadBalancers: [] }), desired, ["update-service"], { loadBalancers: desired.loadBalancers }],
    ["another grace period", running(2, { healthCheckGracePeriodSeconds: 0 }), desired, ["update-service"], { healthCheckGracePeriodSeconds: 60 }],
    ["nothing changed but a forced deployment", running(2), { ...desired, forceNewDeployment: true }, ["update-service"], { cluster: "shop-dev", service: "shop-web", forceNewDeployment: true }],
  ] as const)("%s", (_name, current, want, kinds, params) => {
    const plan = planRolling(current, want, noDiff);
    expect(plan.actions.map((a) => a.kind)).toEqual(kinds);
    if (params) expect((plan.actions[0]?.params as { input: unknown }).input).toEqual(expect.objectContaining(params));
    // An update sends only what differs: a count change does not restart the rollout with a taskDefinition.
    if (current && plan.actions[0]?.kind === "update-service" && current.taskDefinitionArn === want.taskDefinitionArn) expect(plan.actions[0].params.input).not.toHaveProperty("taskDefinition");
  });

  it("shows the revision change and count change as lines, the task definition diff under the first", () => {
    const plan = planRolling(running(1, { desiredCount: 1 }), desired, { taskDefinitionDiff: ["--- shop-web:1 (running)", "+++ shop-web:2 (to deploy)"] });
    expect(plan.diff).toEqual(["task definition: shop-web:1 → shop-web:2", "--- shop-web:1 (running)", "+++ shop-web:2 (to deploy)", "desired count: 1 → 2"]);
    expect(plan.actions[0]?.summary).toBe("update the service shop-web (to shop-web:2, count 2)");
  });

  it("gives the same key for the same desired state, so a resumed deployment does not write twice", () => {
    expect(planRolling(running(1), desired, noDiff).actions[0]?.key).toBe(planRolling(running(1), desired, noDiff).actions[0]?.key);
    expect(planRolling(running(1), desired, noDiff).actions[0]?.key).not.toBe(planRolling(running(1), { ...desired, desiredCount: 3 }, noDiff).actions[0]?.key);
  });

  it.each([
    ["the EXTERNAL controller (task sets)", running(2, { controller: "EXTERNAL" }), /uses the EXTERNAL deployment controller.*mode: rolling/],
    ["the CODE_DEPLOY controller", running(2, { controller: "CODE_DEPLOY" }), /uses the CODE_DEPLOY deployment controller/],
    ["a service being deleted", running(2, { status: "DRAINING" }), /is being deleted \(DRAINING\)/],
    ["another launch type", running(2, { launchType: "EC2" }), /runs on EC2; the step asks for FARGATE/],
  ] as const)("refuses %s", (_name, current, message) => {
    expect(() => planRolling(current, desired, noDiff)).toThrow(ConflictError);
    expect(() => planRolling(current, desired, noDiff)).toThrow(message);
  });
});

describe("planning the rest of ECS's service definition", () => {
  const spot = [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }];
  const connect = { enabled: true, namespace: "arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-1", services: [{ portName: "http", clientAliases: [{ port: 80, dnsName: "orders" }] }] };
  const { launchType: _fargate, ...onStrategy } = desired;
  const full: DesiredService = { ...onStrategy, definition: { capacityProviderStrategy: spot, enableExecuteCommand: true, propagateTags: "SERVICE", serviceConnectConfiguration: connect }, tags: [{ key: "team", value: "orders" }] };
  // What ECS answers with: members the step did not write filled in, lists in its own order.
  const described = { capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 }, { capacityProvider: "FARGATE", base: 1, weight: 1 }], enableExecuteCommand: true, propagateTags: "SERVICE" as const, serviceConnectConfiguration: { ...connect, services: [{ portName: "http", discoveryName: "http", clientAliases: [{ port: 80, dnsName: "orders" }] }] } };

  it("creates the service with every member the step writes", () => {
    const plan = planRolling(undefined, full, noDiff);
    expect(plan.actions[0]?.params).toMatchObject({ input: { capacityProviderStrategy: spot, enableExecuteCommand: true, propagateTags: "SERVICE", serviceConnectConfiguration: connect, tags: [{ key: "team", value: "orders" }] } });
    expect((plan.actions[0]?.params as { input: object }).input).not.toHaveProperty("launchType");
  });

  it("finds nothing to change when ECS describes what the step writes, with its own defaults filled in", () => {
    const plan = planRolling(running(2, { launchType: undefined, definition: described, tags: [{ key: "team", value: "orders" }, { key: "aws:cloudformation:stack-name", value: "x" }] }), full, noDiff);
    expect(plan.actions).toEqual([]);
  });

  it("changes only the members that differ, and tags through TagResource before the update", () => {
    const plan = planRolling(running(2, { launchType: undefined, definition: { ...described, enableExecuteCommand: false }, tags: [] }), full, noDiff);
    expect(plan.actions.map((a) => a.kind)).toEqual(["tag-service", "update-service"]);
    expect(plan.actions[0]?.params).toEqual({ serviceArn: expect.stringContaining("service/shop-dev/shop-web"), tags: [{ key: "team", value: "orders" }] });
    expect((plan.actions[1]?.params as { input: object }).input).toEqual({ cluster: "shop-dev", service: "shop-web", enableExecuteCommand: true });
    expect(plan.diff).toContain("enableExecuteCommand: false → true");
  });

  it("moves a service from a launch type onto capacity providers with the new deployment ECS requires", () => {
    const plan = planRolling(running(2), full, noDiff);
    expect((plan.actions.at(-1)?.params as { input: object }).input).toMatchObject({ capacityProviderStrategy: spot, forceNewDeployment: true });
    expect(plan.diff.join("\n")).toMatch(/capacity provider strategy: launch type FARGATE → FARGATE base 1 weight 1, FARGATE_SPOT weight 3 \(a new deployment/);
  });

  it("refuses, before any write, to move a service from capacity providers back to a launch type", () => {
    expect(() => planRolling(running(2, { launchType: undefined, definition: { capacityProviderStrategy: spot } }), desired, noDiff)).toThrow(ConflictError);
    expect(() => planRolling(running(2, { launchType: undefined, definition: { capacityProviderStrategy: spot } }), desired, noDiff)).toThrow(/cannot move a service from a capacity provider strategy back to a launch type/);
  });

  it("keeps the service's alarms and breaker tuning when the step does not set them, and sets alarms when it does", () => {
    const alarms = { alarmNames: ["shop-5xx"], enable: true, rollback: true };
    // As observe() reads it: in the step's terms, and as ECS described it (what an update sends back).
    const withAlarms = running(2, { deployment: { ...desired.deployment, alarms }, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { ...breaker, resetOnHealthyTask: true }, alarms } });
    expect(planRolling(withAlarms, desired, noDiff).actions).toEqual([]);
    const tighter = { ...desired, deployment: { ...desired.deployment, maximumPercent: 150 } };
    expect((planRolling(withAlarms, tighter, noDiff).actions[0]?.params as { input: { deploymentConfiguration: object } }).input.deploymentConfiguration).toEqual({ minimumHealthyPercent: 100, maximumPercent: 150, deploymentCircuitBreaker: { ...breaker, resetOnHealthyTask: true }, alarms });
    const off = { ...desired, deployment: { ...desired.deployment, alarms: { ...alarms, enable: false } } };
    expect((planRolling(withAlarms, off, noDiff).actions[0]?.params as { input: { deploymentConfiguration: object } }).input.deploymentConfiguration).toMatchObject({ alarms: { enable: false } });
  });

  it("creates a daemon without a desired count and refuses to turn a replica service into one", () => {
    const daemon: DesiredService = { ...desired, launchType: "EC2", schedulingStrategy: "DAEMON" };
    const input = (planRolling(undefined, daemon, noDiff).actions[0]?.params as { input: object }).input;
    expect(input).toMatchObject({ schedulingStrategy: "DAEMON", launchType: "EC2" });
    expect(input).not.toHaveProperty("desiredCount");
    expect(() => planRolling(running(2, { launchType: "EC2" }), daemon, noDiff)).toThrow(/cannot change a service's scheduling strategy/);
  });

  it("moves a service off ECS's own blue/green strategy to rolling updates, saying so, with its hooks dropped", () => {
    const plan = planRolling(running(1, { deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 5, lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_SCALE_UP"] }] } }), desired, noDiff);
    expect(plan.diff).toContain("deployment strategy: BLUE_GREEN, bake 5 min, pause hooks at POST_SCALE_UP → ROLLING");
    expect((plan.actions[0]?.params as { input: { deploymentConfiguration: object } }).input.deploymentConfiguration).toMatchObject({ strategy: "ROLLING", lifecycleHooks: [] });
    expect(planRolling(running(1, { deploymentConfiguration: { strategy: "ROLLING" } }), desired, noDiff).actions.map((a) => a.kind)).toEqual(["update-service"]);
  });

  it("keeps placement strategies in their order: a reordering is a change", () => {
    const spread = { type: "spread" as const, field: "attribute:ecs.availability-zone" };
    const binpack = { type: "binpack" as const, field: "memory" };
    const ec2 = { ...desired, definition: { placementStrategy: [spread, binpack] } };
    expect(planRolling(running(2, { definition: { placementStrategy: [spread, binpack] } }), ec2, noDiff).actions).toEqual([]);
    expect(planRolling(running(2, { definition: { placementStrategy: [binpack, spread] } }), ec2, noDiff).diff).toEqual([expect.stringMatching(/^placementStrategy: /)]);
  });
});
