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
  loadBalancers: desired.loadBalancers,
  deployment: desired.deployment,
  healthCheckGracePeriodSeconds: 60,
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
    if (params) expect(plan.actions[0]?.params.input).toEqual(expect.objectContaining(params));
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
