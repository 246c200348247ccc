import { ContinueServiceDeploymentCommand, CreateServiceCommand, StopServiceDeploymentCommand, UpdateServiceCommand, type DeploymentConfiguration } from "@aws-sdk/client-ecs";
import { CreateTargetGroupCommand, DescribeRulesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterEach, describe, expect, it } from "vitest";
import { describeService, eventMessages, network, serviceTasks } from "./ecs-fixtures.js";
import { failure } from "./elbv2-world.js";
import { loadBalancer, nativeWorld, serviceDeployment, serviceOnV1, stages, watch, type NativeWorld, type Observation } from "./ecs-native-world.js";

/**
 * ECS's own blue/green, linear and canary deployments in the simulator, observed as a client sees them: the
 * service deployment record (DescribeServiceDeployments) and the traffic oracle, on a frozen clock moved by hand.
 */
let world: NativeWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function deployV2(w: NativeWorld): Promise<string> {
  await w.h.clients.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", taskDefinition: w.v2 }));
  const arn = (await describeService(w.h, "c", "s")).currentServiceDeployment ?? "";
  expect(arn).toMatch(/:service-deployment\/c\/s\//);
  return arn;
}

const done = (o: Observation) => o.status !== "IN_PROGRESS" && !o.status.startsWith("ROLLBACK_REQ") && o.status !== "ROLLBACK_IN_PROGRESS";
const pauseAt = (stage: string, timeout?: { timeoutInMinutes: number; action: "CONTINUE" | "ROLLBACK" }) => ({
  targetType: "PAUSE" as const,
  lifecycleStages: [stage as "POST_TEST_TRAFFIC_SHIFT"],
  ...(timeout && { timeoutConfiguration: timeout }),
});
const blueGreen = (extra: DeploymentConfiguration = {}): DeploymentConfiguration => ({ strategy: "BLUE_GREEN", bakeTimeInMinutes: 2, ...extra });

describe("BLUE_GREEN", () => {
  it("walks the lifecycle stages in order, test traffic on green before any production traffic, then all of it at once", async () => {
    const w = (world = await nativeWorld());
    await serviceOnV1(w, blueGreen());
    const arn = await deployV2(w);
    const seen = await watch(w, arn, 1, 1200, done);
    const walk = stages(seen);
    expect(walk.map((o) => o.stage)).toEqual([
      "PRE_SCALE_UP",
      "SCALE_UP",
      "POST_SCALE_UP",
      "TEST_TRAFFIC_SHIFT",
      "POST_TEST_TRAFFIC_SHIFT",
      "PRE_PRODUCTION_TRAFFIC_SHIFT",
      "PRODUCTION_TRAFFIC_SHIFT",
      "POST_PRODUCTION_TRAFFIC_SHIFT",
      "BAKE_TIME",
      "CLEAN_UP",
    ]);
    expect(seen.at(-1)?.status).toBe("SUCCESSFUL");
    // Stages are dated in order; the bake lasts bakeTimeInMinutes.
    const at = Object.fromEntries(walk.map((o) => [o.stage, o.t]));
    for (let i = 1; i < walk.length; i++) expect(walk[i]?.t).toBeGreaterThan(walk[i - 1]?.t ?? Infinity);
    expect((at.CLEAN_UP ?? 0) - (at.BAKE_TIME ?? 0)).toBe(120);
    // Traffic at each stage (green's share): test traffic first, production all at once at PRODUCTION_TRAFFIC_SHIFT.
    expect(walk.map((o) => [o.stage, o.test, o.production])).toEqual([
      ["PRE_SCALE_UP", 0, 0],
      ["SCALE_UP", 0, 0],
      ["POST_SCALE_UP", 0, 0],
      ["TEST_TRAFFIC_SHIFT", 1, 0],
      ["POST_TEST_TRAFFIC_SHIFT", 1, 0],
      ["PRE_PRODUCTION_TRAFFIC_SHIFT", 1, 0],
      ["PRODUCTION_TRAFFIC_SHIFT", 1, 1],
      ["POST_PRODUCTION_TRAFFIC_SHIFT", 1, 1],
      ["BAKE_TIME", 1, 1],
      ["CLEAN_UP", 1, 1],
    ]);
    const firstTest = seen.findIndex((o) => o.test > 0);
    const firstProduction = seen.findIndex((o) => o.production > 0);
    expect(firstTest).toBeGreaterThanOrEqual(0);
    expect(firstTest).toBeLessThan(firstProduction);
    // The record's requested weights say the same.
    expect(walk.map((o) => o.requestedProduction)).toEqual([0, 0, 0, 0, 0, 0, 100, 100, 100, 100]);
    const final = await serviceDeployment(w, arn);
    expect(final.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight).toBe(0);
    // Blue is gone; only web:2 runs, behind the alternate group.
    const tasks = await serviceTasks(w.h, "c", "s");
    expect(tasks.map((t) => t.taskDefinitionArn)).toEqual([w.v2, w.v2]);
    expect((await describeService(w.h, "c", "s")).deployments?.map((d) => `${d.status} ${d.rolloutState}`)).toEqual(["PRIMARY COMPLETED"]);
  });
});

describe("pause hooks", () => {
  async function pausedAtPostTest(w: NativeWorld, timeout?: { timeoutInMinutes: number; action: "CONTINUE" | "ROLLBACK" }) {
    await serviceOnV1(w, blueGreen({ lifecycleHooks: [pauseAt("POST_TEST_TRAFFIC_SHIFT", timeout)] }));
    const arn = await deployV2(w);
    const seen = await watch(w, arn, 5, 1200, (o) => o.stage === "POST_TEST_TRAFFIC_SHIFT");
    const paused = seen.at(-1) as Observation;
    expect(paused.hooks).toEqual([{ hookId: expect.stringMatching(/^ecs-pause-/) as string, status: "AWAITING_ACTION" }]);
    // Held there: an hour later it still waits, test traffic on green, production all on blue.
    w.h.sim.clock.advance(3600);
    const held = await watch(w, arn, 1, 0, () => true);
    expect(held[0]).toMatchObject({ stage: "POST_TEST_TRAFFIC_SHIFT", status: "IN_PROGRESS", test: 1, production: 0 });
    return { arn, hookId: paused.hooks[0]?.hookId ?? "" };
  }

  it("holds the deployment at POST_TEST_TRAFFIC_SHIFT until ContinueServiceDeployment CONTINUE, then finishes", async () => {
    const w = (world = await nativeWorld());
    const { arn, hookId } = await pausedAtPostTest(w);
    await w.h.clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: "CONTINUE" }));
    const rest = await watch(w, arn, 1, 1200, done);
    expect(stages(rest).map((o) => o.stage)).toEqual(["PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"]);
    expect(rest.at(-1)).toMatchObject({ status: "SUCCESSFUL", production: 1 });
    // The hook id answered once is no longer awaiting anything.
    const again = await failure(w.h.clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: "CONTINUE" })));
    expect(again.name).toBe("InvalidParameterException");
  });

  it("rolls back on ContinueServiceDeployment ROLLBACK: test and production traffic back on blue, green scaled in", async () => {
    const w = (world = await nativeWorld());
    const { arn, hookId } = await pausedAtPostTest(w);
    await w.h.clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: "ROLLBACK" }));
    const rest = await watch(w, arn, 1, 600, done);
    expect(rest[0]?.status).toBe("ROLLBACK_REQUESTED");
    expect(rest.map((o) => o.status)).toContain("ROLLBACK_IN_PROGRESS");
    expect(rest.at(-1)).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", test: 0, production: 0 });
    const record = await serviceDeployment(w, arn);
    expect(record.rollback?.reason).toMatch(/rolled back/);
    expect(record.rollback?.serviceRevisionArn).toBe(record.sourceServiceRevisions?.[0]?.arn);
    expect(record.finishedAt).toBeInstanceOf(Date);
    const service = await describeService(w.h, "c", "s");
    expect(service.taskDefinition).toBe(w.v1);
    expect((await serviceTasks(w.h, "c", "s")).map((t) => t.taskDefinitionArn)).toEqual([w.v1, w.v1]);
  });

  it("applies the hook's timeout action when nobody answers", async () => {
    const w = (world = await nativeWorld());
    await serviceOnV1(w, blueGreen({ lifecycleHooks: [pauseAt("POST_SCALE_UP", { timeoutInMinutes: 10, action: "CONTINUE" }), pauseAt("POST_PRODUCTION_TRAFFIC_SHIFT", { timeoutInMinutes: 5, action: "ROLLBACK" })] }));
    const arn = await deployV2(w);
    const seen = await watch(w, arn, 10, 7200, done);
    const walk = stages(seen);
    // The first pause continues after its 10 minutes; the second rolls back after its 5, with production on green meanwhile.
    const postScaleUp = walk.find((o) => o.stage === "POST_SCALE_UP");
    const onTest = seen.find((o) => o.test === 1);
    expect(postScaleUp).toBeDefined();
    expect((onTest?.t ?? 0) - (postScaleUp?.t ?? 0)).toBeGreaterThanOrEqual(600);
    expect(walk.find((o) => o.stage === "POST_PRODUCTION_TRAFFIC_SHIFT")?.production).toBe(1);
    expect(seen.at(-1)).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", production: 0 });
    expect((await serviceDeployment(w, arn)).rollback?.reason).toMatch(/timed out/);
  });
});

describe("StopServiceDeployment", () => {
  it("rolls back mid-shift from a LINEAR deployment: all production traffic back on blue", async () => {
    const w = (world = await nativeWorld());
    await serviceOnV1(w, { strategy: "LINEAR", bakeTimeInMinutes: 5, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } });
    const arn = await deployV2(w);
    const before = await watch(w, arn, 5, 1200, (o) => o.production >= 0.5);
    expect(before.at(-1)?.production).toBe(0.5);
    await w.h.clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }));
    const after = await watch(w, arn, 1, 600, done);
    expect(after.at(-1)).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", production: 0, test: 0 });
    expect((await serviceTasks(w.h, "c", "s")).every((t) => t.taskDefinitionArn === w.v1)).toBe(true);
    // A finished deployment cannot be stopped; only ROLLBACK is a documented stop type.
    expect((await failure(w.h.clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" })))).name).toBe("ConflictException");
    expect((await failure(w.h.clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ABORT" })))).name).toBe("InvalidParameterException");
  });
});

describe("rolling back a service's first deployment", () => {
  /** The production and test rules' forward actions as DescribeRules shows them. */
  async function forwards(w: NativeWorld) {
    const rules = await w.h.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [w.productionRule, w.testRule] }));
    return Object.fromEntries((rules.Rules ?? []).map((r) => [r.RuleArn, r.Actions?.find((a) => a.Type === "forward")?.ForwardConfig?.TargetGroups]));
  }

  it.each(["StopServiceDeployment", "ContinueServiceDeployment"])(
    "%s ROLLBACK during a pause: the rules forward as before the deployment, no green task left, nothing to return to",
    async (how) => {
      const w = (world = await nativeWorld());
      const before = await forwards(w);
      await w.h.clients.ecs.send(
        new CreateServiceCommand({
          cluster: "c",
          serviceName: "s",
          taskDefinition: w.v1,
          desiredCount: 2,
          launchType: "FARGATE",
          networkConfiguration: network,
          loadBalancers: [loadBalancer(w)],
          deploymentConfiguration: blueGreen({ lifecycleHooks: [pauseAt("POST_TEST_TRAFFIC_SHIFT")] }),
        }),
      );
      const arn = (await describeService(w.h, "c", "s")).currentServiceDeployment ?? "";
      const seen = await watch(w, arn, 5, 1200, (o) => o.stage === "POST_TEST_TRAFFIC_SHIFT");
      const paused = seen.at(-1) as Observation;
      expect(paused.hooks.map((x) => x.status)).toEqual(["AWAITING_ACTION"]);
      expect((await serviceTasks(w.h, "c", "s")).map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
      if (how === "StopServiceDeployment") await w.h.clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }));
      else await w.h.clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: paused.hooks[0]?.hookId ?? "", action: "ROLLBACK" }));
      const rest = await watch(w, arn, 1, 600, done);
      // Production never moves to the (empty) alternate group while rolling back, and the rules end as they began.
      expect(rest.every((o) => o.production === 0)).toBe(true);
      expect(rest.at(-1)).toMatchObject({ status: "ROLLBACK_SUCCESSFUL", production: 0, test: 0 });
      expect(await forwards(w)).toEqual(before);
      const record = await serviceDeployment(w, arn);
      expect(record.statusReason).toMatch(/no earlier service revision to return to/);
      expect(record.rollback?.reason).toMatch(/rolled back/);
      expect(record.rollback?.serviceRevisionArn).toBeUndefined();
      expect(record.finishedAt).toBeInstanceOf(Date);
      // Green is scaled in and stays so: the controller does not start it again.
      w.h.sim.clock.advance(600);
      expect(await serviceTasks(w.h, "c", "s")).toEqual([]);
      expect((await serviceTasks(w.h, "c", "s", "STOPPED")).map((t) => t.lastStatus)).toEqual(["STOPPED", "STOPPED"]);
      const service = await describeService(w.h, "c", "s");
      expect(service).toMatchObject({ desiredCount: 2, runningCount: 0, pendingCount: 0, currentServiceDeployment: arn });
      expect(service.deployments?.map((d) => `${d.status} ${d.rolloutState} ${d.desiredCount}`)).toEqual(["PRIMARY FAILED 0"]);
      expect(eventMessages(service).some((m) => /rolling back to deployment|steady state/.test(m))).toBe(false);
      // A later deployment (without the pause) starts afresh and finishes.
      await w.h.clients.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", taskDefinition: w.v2, deploymentConfiguration: blueGreen({ lifecycleHooks: [] }) }));
      const next = (await describeService(w.h, "c", "s")).currentServiceDeployment ?? "";
      expect(next).not.toBe(arn);
      const nextSeen = await watch(w, next, 5, 1200, done);
      expect(nextSeen.at(-1)?.status).toBe("SUCCESSFUL");
      expect((await serviceTasks(w.h, "c", "s")).map((t) => t.taskDefinitionArn)).toEqual([w.v2, w.v2]);
    },
  );
});

describe("LINEAR and CANARY", () => {
  it("LINEAR moves production traffic in equal steps with the step bake between, none after 100 %", async () => {
    const w = (world = await nativeWorld());
    await serviceOnV1(w, { strategy: "LINEAR", bakeTimeInMinutes: 1, linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 2 }, lifecycleHooks: [pauseAt("PRE_PRODUCTION_TRAFFIC_SHIFT", { timeoutInMinutes: 1, action: "CONTINUE" })] });
    const arn = await deployV2(w);
    const seen = await watch(w, arn, 5, 7200, done);
    const shifts = stages(seen).filter((o) => o.stage === "PRODUCTION_TRAFFIC_SHIFT");
    expect(shifts.map((o) => o.requestedProduction)).toEqual([30, 60, 90, 100]);
    expect(shifts.map((o) => Math.round(o.production * 1000) / 1000)).toEqual([0.3, 0.6, 0.9, 1]);
    // A pause before every step, each with a hook id of its own.
    const hookIds = new Set(seen.filter((o) => o.stage === "PRE_PRODUCTION_TRAFFIC_SHIFT").flatMap((o) => o.hooks.map((h) => h.hookId)));
    expect(hookIds.size).toBe(4);
    expect(seen.at(-1)?.status).toBe("SUCCESSFUL");
  });

  it("CANARY shifts the canary percent, waits the canary bake, then the rest", async () => {
    const w = (world = await nativeWorld());
    await serviceOnV1(w, { strategy: "CANARY", bakeTimeInMinutes: 1, canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 } });
    const arn = await deployV2(w);
    const seen = await watch(w, arn, 5, 7200, done);
    const shifts = stages(seen).filter((o) => o.stage === "PRODUCTION_TRAFFIC_SHIFT");
    expect(shifts.map((o) => o.requestedProduction)).toEqual([12.5, 100]);
    expect(shifts.map((o) => o.production)).toEqual([0.125, 1]);
    expect((shifts[1]?.t ?? 0) - (shifts[0]?.t ?? 0)).toBeGreaterThanOrEqual(180);
    expect(seen.at(-1)?.status).toBe("SUCCESSFUL");
  });
});

describe("validation", () => {
  const create = (w: NativeWorld, config: DeploymentConfiguration, lb: ReturnType<typeof loadBalancer> | undefined = loadBalancer(w)) =>
    failure(w.h.clients.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: w.v1, desiredCount: 1, launchType: "FARGATE", networkConfiguration: network, ...(lb && { loadBalancers: [lb] }), deploymentConfiguration: config })));

  it("refuses what AWS refuses, with InvalidParameterException", async () => {
    const w = (world = await nativeWorld());
    const made = await w.h.clients.elbv2.send(new CreateTargetGroupCommand({ Name: "bg-other", Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", TargetType: "ip" }));
    const unattached = made.TargetGroups?.[0]?.TargetGroupArn ?? "";
    const cases: [DeploymentConfiguration, RegExp, ReturnType<typeof loadBalancer>?][] = [
      [blueGreen({ lifecycleHooks: [pauseAt("TEST_TRAFFIC_SHIFT")] }), /PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT/],
      [blueGreen({ lifecycleHooks: [pauseAt("PRODUCTION_TRAFFIC_SHIFT")] }), /PAUSE hooks cannot be configured/],
      [{ strategy: "BLUE_GREEN" }, /bakeTimeInMinutes must be provided/],
      [{ strategy: "LINEAR", bakeTimeInMinutes: 1, linearConfiguration: { stepPercent: 2.5 } }, /stepPercent must be a multiple of 0.1 between 3.0 and 100.0/],
      [{ strategy: "LINEAR", bakeTimeInMinutes: 1, linearConfiguration: { stepBakeTimeInMinutes: 1441 } }, /stepBakeTimeInMinutes must be an integer between 0 and 1440/],
      [{ strategy: "CANARY", bakeTimeInMinutes: 1, canaryConfiguration: { canaryPercent: 0.05 } }, /canaryPercent must be a multiple of 0.1 between 0.1 and 100.0/],
      [blueGreen({ linearConfiguration: { stepPercent: 10 } }), /only valid when the deployment strategy is LINEAR/],
      [blueGreen({ deploymentCircuitBreaker: { enable: true, rollback: true } }), /circuit breaker can only be used/],
      [blueGreen({ lifecycleHooks: [pauseAt("POST_SCALE_UP", { timeoutInMinutes: 20161, action: "ROLLBACK" })] }), /timeoutInMinutes must be an integer between 1 and 20160/],
      [blueGreen({ lifecycleHooks: [{ targetType: "AWS_LAMBDA", lifecycleStages: ["PRE_SCALE_UP"] }] }), /hookTargetArn must be provided/],
      [{ strategy: "ROLLING", lifecycleHooks: [pauseAt("POST_SCALE_UP")] }, /only supported with the BLUE_GREEN, LINEAR and CANARY/],
      [blueGreen(), /advancedConfiguration with alternateTargetGroupArn, productionListenerRule and roleArn/, { ...loadBalancer(w), advancedConfiguration: undefined } as never],
      [blueGreen(), /Both targetGroup and alternateTargetGroup must be associated with the productionListenerRule or testListenerRule/, loadBalancer(w, { alternateTargetGroupArn: unattached })],
    ];
    for (const [config, message, lb] of cases) {
      const error = await create(w, config, lb);
      expect(`${error.name}: ${error.message}`).toMatch(new RegExp(`^InvalidParameterException: .*${message.source}`));
    }
  });

  it("shows the strategy's settings back on DescribeServices and on the service deployment", async () => {
    const w = (world = await nativeWorld());
    const config = { strategy: "LINEAR" as const, bakeTimeInMinutes: 3, linearConfiguration: { stepPercent: 20 }, lifecycleHooks: [pauseAt("POST_SCALE_UP")] };
    await serviceOnV1(w, config);
    const service = await describeService(w.h, "c", "s");
    expect(service.deploymentConfiguration).toMatchObject({
      strategy: "LINEAR",
      bakeTimeInMinutes: 3,
      linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 6 },
      lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_SCALE_UP"], timeoutConfiguration: { timeoutInMinutes: 1440, action: "ROLLBACK" } }],
    });
    expect(service.loadBalancers?.[0]?.advancedConfiguration).toEqual(loadBalancer(w).advancedConfiguration);
  });
});
