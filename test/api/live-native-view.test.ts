import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import type { ForwardingRule } from "../../src/aws/listener-weights.js";
import { nativeView, type NativeViewInput } from "../../src/api/views/live-native.js";
import type { Attached } from "../../steps/service/native/deploy.js";
import { nativeSettingsFor } from "../../steps/service/native/settings.js";

/** The pure part of the live view of an ecs-* service: what it tells from the journal, ECS's record and the rules. */
const group = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/0e5f`;
const blue = group("shop-prod-blue");
const green = group("shop-prod-green");
const arn = "arn:aws:ecs:us-east-1:000000000000:service-deployment/shop-prod/shop-web/abc";
const listenerArn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/shop-prod/1/2";
const attached: Attached = {
  serviceDeploymentArn: arn,
  green,
  blue,
  sourceTaskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:4",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/shop-web:5",
  productionRule: { arn: "rule/production", listenerArn, isDefault: false },
  testRule: { arn: "rule/test", listenerArn, isDefault: false },
};
const rule = (ruleArn: string, greenWeight: number): ForwardingRule => ({
  arn: ruleArn,
  listenerArn,
  isDefault: false,
  tags: {},
  actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 100 - greenWeight }, { TargetGroupArn: green, Weight: greenWeight }] } }],
});
const canary = nativeSettingsFor("ecs-canary", { deployment: { canaryConfiguration: { canaryPercent: 10 } } }, {}, "prod");
const base: NativeViewInput = { settings: canary, stepState: "running", attached, record: undefined, service: { currentServiceDeployment: arn }, forwarding: [rule("rule/production", 10), rule("rule/test", 100)] };
const record = (status: string, extra: Partial<ServiceDeployment> = {}) => ({ serviceDeploymentArn: arn, status, ...extra }) as ServiceDeployment;

describe("the live view of an ecs-* service", () => {
  it("before ECS's deployment starts: the strategy and every production shift to come, no weights", () => {
    expect(nativeView({ ...base, stepState: "pending", attached: undefined })).toEqual({ strategy: "CANARY", bakeTimeInMinutes: 5, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 }, productionSteps: [10, 100], stepsToCome: [10, 100] });
    expect(nativeView({ ...base, stepState: "done", attached: undefined }).stepsToCome).toEqual([]);
  });

  it("at the canary: the rules' weights as new and old, the hook ECS waits at, 100 % still to come", () => {
    const expiresAt = new Date("2026-12-07T10:00:00Z");
    const view = nativeView({ ...base, record: record("IN_PROGRESS", { lifecycleStage: "PRE_PRODUCTION_TRAFFIC_SHIFT" as ServiceDeployment["lifecycleStage"], lifecycleHookDetails: [{ hookId: "ecs-pause-1", targetType: "PAUSE", status: "AWAITING_ACTION", expiresAt, timeoutAction: "ROLLBACK" }] }) });
    expect(view).toMatchObject({
      stepsToCome: [100],
      deployment: { status: "IN_PROGRESS", lifecycleStage: "PRE_PRODUCTION_TRAFFIC_SHIFT", current: true, newRevision: "shop-web:5", oldRevision: "shop-web:4", hooks: [{ hookId: "ecs-pause-1", status: "AWAITING_ACTION", targetType: "PAUSE", expiresAt: "2026-12-07T10:00:00.000Z", timeoutAction: "ROLLBACK" }] },
      production: { rule: "rule/production", newTargetGroup: "shop-prod-green", oldTargetGroup: "shop-prod-blue", newPercent: 10, oldPercent: 90 },
      test: { rule: "rule/test", newPercent: 100, oldPercent: 0 },
    });
  });

  it("without ECS's record (an endpoint without it): the weights, and the shifts past them", () => {
    expect(nativeView(base)).toMatchObject({ stepsToCome: [100], production: { newPercent: 10 } });
    expect(nativeView(base).deployment).toBeUndefined();
  });

  it("once another deployment replaced it, or ECS rolled it back: no weights against it, nothing to come", () => {
    const replaced = nativeView({ ...base, record: record("SUCCESSFUL"), service: { currentServiceDeployment: "another" } });
    expect(replaced.deployment?.current).toBe(false);
    expect(replaced.production).toBeUndefined();
    expect(replaced.test).toBeUndefined();
    expect(replaced.stepsToCome).toEqual([]);
    expect(nativeView({ ...base, record: record("ROLLBACK_IN_PROGRESS", { rollback: { reason: "hook", startedAt: new Date(0) } }) })).toMatchObject({ stepsToCome: [], deployment: { rollback: { reason: "hook", startedAt: "1970-01-01T00:00:00.000Z" } } });
  });
});
