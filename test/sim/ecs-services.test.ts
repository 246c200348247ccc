import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateServiceCommand, DeleteServiceCommand, DescribeServicesCommand, ListServicesCommand, StopTaskCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, eventMessages, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";

describe("ECS services under the rolling-update controller", () => {
  let h: SimHarness;
  let v1: string;
  let v2: string;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "apps");
    v1 = await registerWeb(h, "web", "web:1.0.0");
    v2 = await registerWeb(h, "web", "web:2.0.0");
  });
  afterAll(() => h.close());

  it("walks a first deployment's tasks PROVISIONING → PENDING → RUNNING and reports a steady state", async () => {
    const created = await h.clients.ecs.send(
      new CreateServiceCommand({ cluster: "apps", serviceName: "web", taskDefinition: "web:1", desiredCount: 2, launchType: "FARGATE", networkConfiguration: network }),
    );
    const deployment = created.service?.deployments?.[0];
    expect(deployment?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(deployment).toMatchObject({ status: "PRIMARY", rolloutState: "IN_PROGRESS", desiredCount: 2, pendingCount: 2, runningCount: 0 });
    expect(created.service?.deploymentConfiguration).toMatchObject({ maximumPercent: 200, minimumHealthyPercent: 100 });

    let tasks = await serviceTasks(h, "apps", "web");
    expect(tasks.map((t) => t.lastStatus)).toEqual(["PROVISIONING", "PROVISIONING"]);
    expect(tasks[0]).toMatchObject({ group: "service:web", startedBy: deployment?.id, taskDefinitionArn: v1, desiredStatus: "RUNNING" });
    await advance(h, 6);
    tasks = await serviceTasks(h, "apps", "web");
    expect(tasks.map((t) => t.lastStatus)).toEqual(["PENDING", "PENDING"]);
    await advance(h, 60);
    tasks = await serviceTasks(h, "apps", "web");
    expect(tasks.map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    expect(tasks[0]?.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address).toMatch(/^10\.0\./);
    // The task started when it turned RUNNING, 20 s after it was created — not when we looked.
    const first = tasks[0];
    expect((first?.startedAt?.getTime() ?? 0) - (first?.createdAt?.getTime() ?? 0)).toBe(20_000);

    const service = await describeService(h, "apps", "web");
    expect(service).toMatchObject({ status: "ACTIVE", runningCount: 2, pendingCount: 0, taskDefinition: v1 });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({ rolloutState: "COMPLETED", rolloutStateReason: `ECS deployment ${deployment?.id} completed.` });
    const messages = eventMessages(service);
    expect(messages[0]).toBe("(service web) has reached a steady state.");
    expect(messages[1]).toBe(`(service web) (deployment ${deployment?.id}) deployment completed.`);
    expect(messages[2]).toMatch(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);
  });

  it("refuses a second service of the same name", async () => {
    const error = await h.clients.ecs
      .send(new CreateServiceCommand({ cluster: "apps", serviceName: "web", taskDefinition: "web:1", desiredCount: 1, launchType: "FARGATE", networkConfiguration: network }))
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: "InvalidParameterException", message: "Creation of service was not idempotent." });
  });

  it("rolls to a new task definition within maximumPercent and minimumHealthyPercent", async () => {
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", desiredCount: 4 }));
    await advance(h, 60);
    expect((await describeService(h, "apps", "web")).deployments).toHaveLength(1);

    await h.clients.ecs.send(
      new UpdateServiceCommand({ cluster: "apps", service: "web", taskDefinition: "web:2", deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 } }),
    );
    let service = await describeService(h, "apps", "web");
    const [primary, active] = service.deployments ?? [];
    expect(primary).toMatchObject({ status: "PRIMARY", taskDefinition: v2, rolloutState: "IN_PROGRESS" });
    expect(active).toMatchObject({ status: "ACTIVE", taskDefinition: v1 });
    // max 150 % of 4 = 6 tasks alive, min 50 % of 4 = 2 healthy: 2 old ones stop and 4 new ones start at once.
    const live = await serviceTasks(h, "apps", "web");
    expect(live.filter((t) => t.taskDefinitionArn === v2)).toHaveLength(4);
    expect(live.filter((t) => t.taskDefinitionArn === v1)).toHaveLength(2);
    expect(live.length).toBeLessThanOrEqual(6);

    await advance(h, 120);
    service = await describeService(h, "apps", "web");
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({ taskDefinition: v2, rolloutState: "COMPLETED", runningCount: 4 });
    expect(service.taskDefinition).toBe(v2);
    const stopped = await serviceTasks(h, "apps", "web", "STOPPED");
    expect(stopped.filter((t) => t.taskDefinitionArn === v1)).toHaveLength(4);
    expect(stopped[0]).toMatchObject({ lastStatus: "STOPPED", stopCode: "ServiceSchedulerInitiated" });
    expect(eventMessages(service).some((m) => /^\(service web\) has stopped 2 running tasks: /.test(m))).toBe(true);
  });

  it("rescales the primary deployment without a new deployment when only desiredCount changes", async () => {
    const before = (await describeService(h, "apps", "web")).deployments?.[0]?.id;
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", desiredCount: 1 }));
    await advance(h, 30);
    const service = await describeService(h, "apps", "web");
    expect(service.deployments?.map((d) => d.id)).toEqual([before]);
    expect(service).toMatchObject({ desiredCount: 1, runningCount: 1 });
  });

  it("replaces a task the user stops", async () => {
    const [task] = await serviceTasks(h, "apps", "web");
    await h.clients.ecs.send(new StopTaskCommand({ cluster: "apps", task: task?.taskArn, reason: "testing" }));
    await advance(h, 30);
    const running = await serviceTasks(h, "apps", "web");
    expect(running).toHaveLength(1);
    expect(running[0]?.taskArn).not.toBe(task?.taskArn);
    const [stopped] = (await serviceTasks(h, "apps", "web", "STOPPED")).filter((t) => t.taskArn === task?.taskArn);
    expect(stopped).toMatchObject({ stopCode: "UserInitiated", stoppedReason: "testing", lastStatus: "STOPPED" });
  });

  it("lists services and reports missing ones as failures", async () => {
    const list = await h.clients.ecs.send(new ListServicesCommand({ cluster: "apps" }));
    expect(list.serviceArns).toEqual([expect.stringMatching(/:service\/apps\/web$/)]);
    const out = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "apps", services: ["nope"] }));
    expect(out.failures).toEqual([{ arn: expect.stringMatching(/:service\/apps\/nope$/), reason: "MISSING" }]);
  });

  it("refuses to delete a service still scaled above 0, then drains it to INACTIVE", async () => {
    const refused = await h.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "web" })).catch((e: Error) => e);
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: "The service cannot be stopped while it is scaled above 0." });
    const deleted = await h.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "web", force: true }));
    expect(deleted.service?.status).toBe("DRAINING");
    await advance(h, 60);
    expect((await describeService(h, "apps", "web")).status).toBe("INACTIVE");
    const notActive = await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", desiredCount: 1 })).catch((e: Error) => e);
    expect(notActive).toMatchObject({ name: "ServiceNotActiveException" });
    await advance(h, 3700);
    const gone = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "apps", services: ["web"] }));
    expect(gone.failures?.[0]?.reason).toBe("MISSING");
  });
});
