import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type DescribeScalableTargetsCommandInput,
  type RegisterScalableTargetCommandInput,
  type ScalableTarget,
} from "@aws-sdk/client-application-auto-scaling";
import { CreateServiceCommand, DeleteServiceCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, eventMessages, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";
import { errorOf } from "./secret-fixtures.js";

/**
 * Application Auto Scaling for ECS services, through the real SDK client, and the /_sim control that scales a
 * service as a target-tracking alarm would. Simulated time stands still (speed 0) and moves only when a test
 * moves it, so tasks start and stop when the test says, never when the machine gets round to it.
 */
const dimension = "ecs:service:DesiredCount";
const resourceId = (service: string) => `service/apps/${service}`;
const serviceLinkedRole = "arn:aws:iam::000000000000:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService";

interface ScaleReply {
  desiredCount: number;
  applied: boolean;
  reason?: string;
}

describe("simulated Application Auto Scaling for ECS services", () => {
  let h: SimHarness;
  let aas: ApplicationAutoScalingClient;

  const register = (service: string, rest: Partial<RegisterScalableTargetCommandInput> = {}) =>
    aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: resourceId(service), ScalableDimension: dimension, ...rest }));
  const describeTargets = (input: Partial<DescribeScalableTargetsCommandInput> = {}) =>
    aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ...input } as DescribeScalableTargetsCommandInput));
  const targetOf = async (service: string): Promise<ScalableTarget | undefined> =>
    (await describeTargets({ ResourceIds: [resourceId(service)], ScalableDimension: dimension })).ScalableTargets?.[0];
  const deregister = (service: string) => aas.send(new DeregisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: resourceId(service), ScalableDimension: dimension }));
  const scale = (service: string, desiredCount: number) => h.control("POST", "autoscaling/scale", { cluster: "apps", service, desiredCount }) as Promise<ScaleReply>;

  /** A Fargate service of `count` tasks, settled: its first deployment completed, every task RUNNING. */
  async function settledService(name: string, count: number): Promise<void> {
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "apps", serviceName: name, taskDefinition: "web:1", desiredCount: count, launchType: "FARGATE", networkConfiguration: network }));
    await advance(h, 120);
  }

  async function running(name: string): Promise<number> {
    return (await serviceTasks(h, "apps", name)).filter((t) => t.lastStatus === "RUNNING").length;
  }

  beforeAll(async () => {
    h = await startSim({ speed: 0 });
    aas = new ApplicationAutoScalingClient({ region: h.region, endpoint: h.url, credentials: { accessKeyId: "slipway-local", secretAccessKey: "slipway-local" }, maxAttempts: 1 });
    await createCluster(h, "apps");
    await registerWeb(h, "web", "web:1.0.0");
  });
  afterAll(async () => {
    aas.destroy();
    await h.close();
  });

  it("registers, describes, updates and deregisters a service's scalable target", async () => {
    await settledService("api", 2);
    const registeredAt = h.sim.clock.now();
    const { ScalableTargetARN: arn } = await register("api", { MinCapacity: 1, MaxCapacity: 4 });
    expect(arn).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{36}$/);

    expect(await targetOf("api")).toEqual({
      ServiceNamespace: "ecs",
      ResourceId: "service/apps/api",
      ScalableDimension: dimension,
      MinCapacity: 1,
      MaxCapacity: 4,
      RoleARN: serviceLinkedRole,
      CreationTime: registeredAt,
      SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      ScalableTargetARN: arn,
    });

    // An update names only what changes; a RoleARN for ECS is ignored in favour of the service-linked role.
    await advance(h, 60);
    expect((await register("api", { MaxCapacity: 6, RoleARN: "arn:aws:iam::000000000000:role/my-scaler", SuspendedState: { DynamicScalingInSuspended: true } })).ScalableTargetARN).toBe(arn);
    expect(await targetOf("api")).toMatchObject({ MinCapacity: 1, MaxCapacity: 6, RoleARN: serviceLinkedRole, CreationTime: registeredAt, ScalableTargetARN: arn });
    // A suspended-state flag left out keeps its value: suspending scale-out leaves scale-in suspended.
    await register("api", { SuspendedState: { DynamicScalingOutSuspended: true } });
    expect((await targetOf("api"))?.SuspendedState).toEqual({ DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true, ScheduledScalingSuspended: false });

    await deregister("api");
    expect((await describeTargets()).ScalableTargets).toEqual([]);
    expect(await errorOf(deregister("api"))).toMatchObject({
      name: "ObjectNotFoundException",
      message: "No scalable target found for service namespace: ecs, resource ID: service/apps/api, scalable dimension: ecs:service:DesiredCount",
    });
    // Deregistering leaves the service's count where it was.
    expect((await describeService(h, "apps", "api")).desiredCount).toBe(2);
    expect(h.sim.calls.snapshot().byOperation["application-autoscaling:RegisterScalableTarget"]).toEqual({ ok: 3 });
    expect(h.sim.calls.snapshot().byOperation["application-autoscaling:DeregisterScalableTarget"]).toEqual({ ok: 1, error: 1 });
  });

  it("answers malformed and impossible registrations with AWS's ValidationException", async () => {
    await settledService("checkout", 1);
    const refused = (input: Partial<RegisterScalableTargetCommandInput>) => errorOf(register("checkout", { MinCapacity: 1, MaxCapacity: 2, ...input }));

    expect(await refused({ ServiceNamespace: "nope" as "ecs" })).toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/^1 validation error detected: Value 'nope' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: \[ecs, elasticmapreduce, /),
    });
    expect(await refused({ ScalableDimension: "dynamodb:table:ReadCapacityUnits" })).toMatchObject({ name: "ValidationException", message: "Unsupported service namespace, resource type or scalable dimension" });
    expect(await refused({ ResourceId: "table/checkout" })).toMatchObject({ name: "ValidationException", message: "Unsupported service namespace, resource type or scalable dimension" });
    expect(await refused({ ResourceId: "service/apps/ghost" })).toMatchObject({ name: "ValidationException", message: "ECS service doesn't exist: service/apps/ghost" });
    expect(await refused({ ResourceId: "service/elsewhere/checkout" })).toMatchObject({ name: "ValidationException", message: "ECS service doesn't exist: service/elsewhere/checkout" });
    expect(await refused({ MinCapacity: 5, MaxCapacity: 2 })).toMatchObject({ name: "ValidationException", message: "Maximum capacity cannot be less than minimum capacity" });
    expect(await refused({ MaxCapacity: undefined })).toMatchObject({ name: "ValidationException", message: "Maximum capacity must be specified" });
    expect(await refused({ ServiceNamespace: "dynamodb", ScalableDimension: "dynamodb:table:ReadCapacityUnits", ResourceId: "table/orders" })).toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/^The simulator scales ECS services only/),
    });
    expect((await describeTargets()).ScalableTargets).toEqual([]);

    // Tags are for creation; an existing target's are changed with TagResource.
    await register("checkout", { MinCapacity: 1, MaxCapacity: 2, Tags: { team: "payments" } });
    expect(await refused({ Tags: { team: "payments" } })).toMatchObject({ name: "ValidationException", message: expect.stringMatching(/^The scalable target that you tried to tag already exists/) });
    // An update may lower the maximum under the minimum it keeps: refused the same way.
    expect(await errorOf(register("checkout", { MaxCapacity: 0 }))).toMatchObject({ name: "ValidationException", message: "Maximum capacity cannot be less than minimum capacity" });
    await deregister("checkout");
  });

  it("validates DescribeScalableTargets and pages through targets in a steady order", async () => {
    for (const name of ["page-c", "page-a", "page-b"]) {
      await settledService(name, 0);
      await register(name, { MinCapacity: 0, MaxCapacity: 3 });
    }
    const first = await describeTargets({ MaxResults: 2 });
    expect(first.ScalableTargets?.map((t) => t.ResourceId)).toEqual(["service/apps/page-a", "service/apps/page-b"]);
    expect(first.NextToken).toBeTruthy();
    const second = await describeTargets({ MaxResults: 2, NextToken: first.NextToken });
    expect(second.ScalableTargets?.map((t) => t.ResourceId)).toEqual(["service/apps/page-c"]);
    expect(second.NextToken).toBeUndefined();
    expect((await describeTargets({ ResourceIds: ["service/apps/page-b", "service/apps/nothing"] })).ScalableTargets?.map((t) => t.ResourceId)).toEqual(["service/apps/page-b"]);
    expect((await describeTargets({ ServiceNamespace: "dynamodb" })).ScalableTargets).toEqual([]);

    expect(await errorOf(describeTargets({ ServiceNamespace: undefined }))).toMatchObject({
      name: "ValidationException",
      message: "1 validation error detected: Value null at 'serviceNamespace' failed to satisfy constraint: Member must not be null",
    });
    expect(await errorOf(describeTargets({ MaxResults: 51 }))).toMatchObject({ name: "ValidationException", message: expect.stringContaining("at 'maxResults'") });
    expect(await errorOf(describeTargets({ ScalableDimension: dimension }))).toMatchObject({ name: "ValidationException" });
    expect(await errorOf(describeTargets({ NextToken: "not-a-token" }))).toMatchObject({ name: "InvalidNextTokenException" });
    for (const name of ["page-a", "page-b", "page-c"]) await deregister(name);
  });

  it("moves the desired count inside a newly registered or updated range, and ECS starts and stops tasks to follow", async () => {
    await settledService("cart", 2);
    await register("cart", { MinCapacity: 3, MaxCapacity: 5 });
    expect((await describeService(h, "apps", "cart")).desiredCount).toBe(3);
    await advance(h, 60);
    let service = await describeService(h, "apps", "cart");
    expect(service).toMatchObject({ desiredCount: 3, runningCount: 3 });
    expect(eventMessages(service).some((m) => /^\(service cart\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);

    // An update that only lowers the maximum still brings the count down to it.
    await register("cart", { MinCapacity: 1, MaxCapacity: 2 });
    await advance(h, 60);
    service = await describeService(h, "apps", "cart");
    expect(service).toMatchObject({ desiredCount: 2, runningCount: 2 });
    expect(eventMessages(service).some((m) => /^\(service cart\) has stopped 1 running tasks: /.test(m))).toBe(true);
    await deregister("cart");
  });

  it("scales a service as a target-tracking alarm would: within [min, max], through ECS", async () => {
    await settledService("web", 2);
    await register("web", { MinCapacity: 1, MaxCapacity: 4 });

    expect(await scale("web", 3)).toEqual({ desiredCount: 3, applied: true });
    await advance(h, 60);
    let service = await describeService(h, "apps", "web");
    expect(service).toMatchObject({ desiredCount: 3, runningCount: 3 });
    expect(eventMessages(service).some((m) => /^\(service web\) has started 1 tasks: /.test(m))).toBe(true);

    expect(await scale("web", 10)).toEqual({ desiredCount: 4, applied: true });
    expect(await scale("web", 10)).toEqual({ desiredCount: 4, applied: false, reason: "AlreadyAtMaxCapacity" });
    expect(await scale("web", 4)).toEqual({ desiredCount: 4, applied: false, reason: "AlreadyAtDesiredCapacity" });
    expect(await scale("web", 0)).toEqual({ desiredCount: 1, applied: true });
    await advance(h, 60);
    service = await describeService(h, "apps", "web");
    expect(service).toMatchObject({ desiredCount: 1, runningCount: 1 });
    expect(await running("web")).toBe(1);
    expect(await scale("web", 0)).toEqual({ desiredCount: 1, applied: false, reason: "AlreadyAtMinCapacity" });
    await deregister("web");
  });

  it("honours suspended scale-in and scale-out, and holds scale-in while an ECS deployment is in progress", async () => {
    await settledService("worker", 2);
    await register("worker", { MinCapacity: 1, MaxCapacity: 6, SuspendedState: { DynamicScalingInSuspended: true } });

    expect(await scale("worker", 1)).toEqual({ desiredCount: 2, applied: false, reason: "DynamicScalingInSuspended" });
    expect(await scale("worker", 3)).toEqual({ desiredCount: 3, applied: true });

    await register("worker", { SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: true } });
    expect(await scale("worker", 5)).toEqual({ desiredCount: 3, applied: false, reason: "DynamicScalingOutSuspended" });
    await advance(h, 60);
    expect(await scale("worker", 2)).toEqual({ desiredCount: 2, applied: true });
    await advance(h, 60);
    expect(await running("worker")).toBe(2);

    // A new deployment: scale-in waits for it to complete, scale-out (once resumed) does not.
    await register("worker", { SuspendedState: { DynamicScalingOutSuspended: false } });
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "worker", forceNewDeployment: true }));
    expect(await scale("worker", 1)).toEqual({ desiredCount: 2, applied: false, reason: "ScaleInDuringDeployment" });
    expect(await scale("worker", 3)).toEqual({ desiredCount: 3, applied: true });
    await advance(h, 180);
    expect((await describeService(h, "apps", "worker")).deployments?.[0]?.rolloutState).toBe("COMPLETED");
    expect(await scale("worker", 1)).toEqual({ desiredCount: 1, applied: true });
    await advance(h, 60);
    expect(await running("worker")).toBe(1);
    await deregister("worker");
  });

  it("refuses to scale a service without a scalable target, and drops the target of a deleted service", async () => {
    await settledService("reports", 1);
    const res = await fetch(`${h.url}/_sim/autoscaling/scale?region=${h.region}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cluster: "apps", service: "reports", desiredCount: 2 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "NoScalableTarget",
      message: "service/apps/reports has no scalable target (ecs:service:DesiredCount) in us-east-1: register one with RegisterScalableTarget first",
    });
    expect((await describeService(h, "apps", "reports")).desiredCount).toBe(1);
    await expect(scale("reports", -1)).rejects.toThrow(/answered 400.*desiredCount must be a whole number/);

    await register("reports", { MinCapacity: 1, MaxCapacity: 2 });
    await h.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "reports", force: true }));
    expect(await targetOf("reports")).toBeUndefined();
    await expect(scale("reports", 2)).rejects.toThrow(/answered 400.*NoScalableTarget/);
  });
});
