import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  DescribeTaskSetsCommand,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
  UpdateTaskSetCommand,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, eventMessages, loadBalancedGroups, network, registerWeb, serviceTasks, targetStates } from "./ecs-fixtures.js";

const fails = (p: Promise<unknown>) => p.then(() => new Error("expected the call to fail"), (e: Error) => e);

describe("EXTERNAL services and task sets: the three-task-set canary (seed 000, method B)", () => {
  let h: SimHarness;
  let v1: string;
  let v2: string;
  let tgA: string;
  let tgB: string;
  const ids: Record<string, string> = {};
  const lb = (targetGroupArn: string) => [{ targetGroupArn, containerName: "web", containerPort: 8080 }];
  const taskSet = (taskDefinition: string, targetGroupArn: string, value: number) =>
    h.clients.ecs.send(
      new CreateTaskSetCommand({ cluster: "ext", service: "shop", taskDefinition, launchType: "FARGATE", networkConfiguration: network, loadBalancers: lb(targetGroupArn), scale: { unit: "PERCENT", value } }),
    );

  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "ext");
    v1 = await registerWeb(h, "shop", "shop:1");
    v2 = await registerWeb(h, "shop", "shop:2");
    [tgA = "", tgB = ""] = await loadBalancedGroups(h, "shop", 2);
  });
  afterAll(() => h.close());

  it("creates the service with only service-level parameters", async () => {
    const refused = await fails(
      h.clients.ecs.send(new CreateServiceCommand({ cluster: "ext", serviceName: "shop", taskDefinition: v1, desiredCount: 2, deploymentController: { type: "EXTERNAL" } })),
    );
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: "TaskDefinition must be blank." });
    const created = await h.clients.ecs.send(new CreateServiceCommand({ cluster: "ext", serviceName: "shop", desiredCount: 2, deploymentController: { type: "EXTERNAL" } }));
    expect(created.service).toMatchObject({ deploymentController: { type: "EXTERNAL" }, taskSets: [], deployments: [], desiredCount: 2 });
    expect(created.service?.taskDefinition).toBeUndefined();
  });

  it("refuses task set calls on a service of the ECS controller, and on services that do not exist", async () => {
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "ext", serviceName: "rolling", taskDefinition: v1, desiredCount: 0, launchType: "FARGATE", networkConfiguration: network }));
    const notExternal = await fails(h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "ext", service: "rolling" })));
    expect(notExternal).toMatchObject({
      name: "InvalidParameterException",
      message: "Amazon ECS only supports task set management on services configured to use external deployment controllers.",
    });
    const missing = await fails(h.clients.ecs.send(new CreateTaskSetCommand({ cluster: "ext", service: "nope", taskDefinition: v1 })));
    expect(missing).toMatchObject({ name: "ServiceNotFoundException" });
  });

  it("runs the first task set and makes it primary; the service takes the primary's settings", async () => {
    const first = await taskSet(v1, tgA, 100);
    ids.blue = first.taskSet?.id ?? "";
    expect(first.taskSet).toMatchObject({ status: "ACTIVE", computedDesiredCount: 2, stabilityStatus: "STABILIZING", scale: { unit: "PERCENT", value: 100 } });
    expect(first.taskSet?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(first.taskSet?.taskSetArn).toMatch(new RegExp(`:task-set/ext/shop/${ids.blue}$`));
    await h.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "ext", service: "shop", primaryTaskSet: ids.blue }));
    await advance(h, 90);
    const service = await describeService(h, "ext", "shop");
    expect(service).toMatchObject({ taskDefinition: v1, launchType: "FARGATE", loadBalancers: lb(tgA), runningCount: 2, pendingCount: 0 });
    expect(service.taskSets?.[0]).toMatchObject({ id: ids.blue, status: "PRIMARY", runningCount: 2, stabilityStatus: "STEADY_STATE" });
    expect(await targetStates(h, tgA)).toEqual(["healthy", "healthy"]);
    const tasks = await serviceTasks(h, "ext", "shop");
    expect(tasks.every((t) => t.startedBy === ids.blue)).toBe(true);
    expect(eventMessages(service)).toContain(`(service shop, taskSet ${ids.blue}) has reached a steady state.`);
  });

  it("adds a 10 % canary on the second target group: ceil(10 % of 2) = 1 task", async () => {
    const canary = await taskSet(v2, tgB, 10);
    ids.canary = canary.taskSet?.id ?? "";
    expect(canary.taskSet?.computedDesiredCount).toBe(1);
    await advance(h, 90);
    expect(await targetStates(h, tgB)).toEqual(["healthy"]);
  });

  it("adds the new task set on the primary target group and switches the primary to it", async () => {
    const green = await taskSet(v2, tgA, 100);
    ids.green = green.taskSet?.id ?? "";
    await advance(h, 90);
    await h.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "ext", service: "shop", primaryTaskSet: ids.green }));
    const service = await describeService(h, "ext", "shop");
    expect(service.taskDefinition).toBe(v2);
    const status = Object.fromEntries((service.taskSets ?? []).map((t) => [t.id, t.status]));
    expect(status).toEqual({ [ids.blue ?? ""]: "ACTIVE", [ids.canary ?? ""]: "ACTIVE", [ids.green ?? ""]: "PRIMARY" });
    expect(service.runningCount).toBe(5);
    expect(await targetStates(h, tgA)).toHaveLength(4);
  });

  it("guards deletion: never the primary, and only a set scaled to 0 without force", async () => {
    const primary = await fails(h.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "ext", service: "shop", taskSet: ids.green })));
    expect(primary).toMatchObject({ name: "InvalidParameterException", message: "Primary TaskSet cannot be deleted" });
    const scaled = await fails(h.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "ext", service: "shop", taskSet: ids.blue })));
    expect(scaled).toMatchObject({ name: "InvalidParameterException" });
    const unknown = await fails(h.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "ext", service: "shop", taskSet: "ecs-svc/1234567890123456789" })));
    expect(unknown).toMatchObject({ name: "TaskSetNotFoundException" });
  });

  it("deletes the old and canary sets: they drain, their targets leave, and they disappear", async () => {
    const drained = await h.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "ext", service: "shop", taskSet: ids.blue, force: true }));
    expect(drained.taskSet?.status).toBe("DRAINING");
    await h.clients.ecs.send(new UpdateTaskSetCommand({ cluster: "ext", service: "shop", taskSet: ids.canary, scale: { unit: "PERCENT", value: 0 } }));
    await h.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "ext", service: "shop", taskSet: ids.canary }));
    let service = await describeService(h, "ext", "shop");
    expect(service.taskSets?.find((t) => t.id === ids.blue)?.status).toBe("DRAINING");
    await advance(h, 60);
    service = await describeService(h, "ext", "shop");
    expect(service.taskSets?.map((t) => t.id)).toEqual([ids.green]);
    expect(service).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(await targetStates(h, tgA)).toEqual(["healthy", "healthy"]);
    expect(await targetStates(h, tgB)).toEqual([]);
    const described = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "ext", service: "shop", taskSets: [ids.green ?? "", ids.blue ?? ""] }));
    expect(described.taskSets?.map((t) => t.id)).toEqual([ids.green]);
    expect(described.failures).toEqual([{ arn: ids.blue, reason: "MISSING" }]);
  });

  it("follows the service's desired count in every task set", async () => {
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "ext", service: "shop", desiredCount: 4 }));
    const service = await describeService(h, "ext", "shop");
    expect(service.taskSets?.[0]?.computedDesiredCount).toBe(4);
    await advance(h, 90);
    expect((await describeService(h, "ext", "shop")).runningCount).toBe(4);
  });

  it("refuses task-set settings on UpdateService and a controller change while several task sets exist", async () => {
    const taskDefinition = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "ext", service: "shop", taskDefinition: v1 })));
    expect(taskDefinition).toMatchObject({ name: "InvalidParameterException" });
    await taskSet(v1, tgB, 0);
    const controller = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "ext", service: "shop", deploymentController: { type: "ECS" } })));
    expect(controller).toMatchObject({
      name: "InvalidParameterException",
      message: "Updating the deployment controller is not supported when there are multiple tasksets in the service. Please ensure your service has only one taskset and try again.",
    });
  });

  it("allows at most five task sets per service", async () => {
    for (let i = (await describeService(h, "ext", "shop")).taskSets?.length ?? 0; i < 5; i++) await taskSet(v1, tgB, 0);
    const sixth = await fails(taskSet(v1, tgB, 0));
    expect(sixth).toMatchObject({
      name: "InvalidParameterException",
      message: "5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.",
    });
  });
});

describe("changing a service's deployment controller", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "mig");
    await registerWeb(h, "api", "api:1");
  });
  afterAll(() => h.close());

  it("refuses to leave EXTERNAL without a primary task set", async () => {
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "mig", serviceName: "bare", desiredCount: 1, deploymentController: { type: "EXTERNAL" } }));
    const refused = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "mig", service: "bare", deploymentController: { type: "ECS" } })));
    expect(refused).toMatchObject({
      name: "InvalidParameterException",
      message: "Updating the deployment controller requires a primary taskset in the service. Please ensure your service has a primary taskset and try again.",
    });
  });

  it("turns the running deployment into the primary task set when moving from ECS to EXTERNAL", async () => {
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "mig", serviceName: "api", taskDefinition: "api", desiredCount: 2, launchType: "FARGATE", networkConfiguration: network }));
    await advance(h, 60);
    const before = await describeService(h, "mig", "api");
    const deploymentId = before.deployments?.[0]?.id;
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "mig", service: "api", deploymentController: { type: "EXTERNAL" } }));
    await advance(h, 5);
    const after = await describeService(h, "mig", "api");
    expect(after).toMatchObject({ deploymentController: { type: "EXTERNAL" }, deployments: [], runningCount: 2 });
    expect(after.taskSets).toEqual([expect.objectContaining({ id: deploymentId, status: "PRIMARY", computedDesiredCount: 2, stabilityStatus: "STEADY_STATE" })]);
    expect((await serviceTasks(h, "mig", "api")).map((t) => t.startedBy)).toEqual([deploymentId, deploymentId]);
  });
});
