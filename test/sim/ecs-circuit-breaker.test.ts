import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, eventMessages, imageBehaves, loadBalancedGroups, network, registerWeb, serviceTasks, targetStates } from "./ecs-fixtures.js";

describe("the deployment circuit breaker", () => {
  let h: SimHarness;
  let good: string;
  let bad: string;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "cb");
    good = await registerWeb(h, "api", "api:1.0.0");
    bad = await registerWeb(h, "api", "api:2.0.0-broken");
    await imageBehaves(h, "api:2.0.0-broken", "crash");
  });
  afterAll(() => h.close());

  async function stableService(name: string, rollback: boolean): Promise<void> {
    await h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "cb",
        serviceName: name,
        taskDefinition: good,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: network,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback } },
      }),
    );
    await advance(h, 60);
  }

  it("fails a crashing deployment and rolls back to the last completed one", async () => {
    await stableService("rb", true);
    const completed = (await describeService(h, "cb", "rb")).deployments?.[0]?.id ?? "";
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "cb", service: "rb", taskDefinition: bad }));
    const failing = (await describeService(h, "cb", "rb")).deployments?.[0]?.id ?? "";

    // Crashing tasks: 20 s to start, 10 s running, then they exit; two at a time, threshold max(3, ceil(2/2)) = 3.
    await advance(h, 40);
    const crashed = (await serviceTasks(h, "cb", "rb", "STOPPED")).filter((t) => t.taskDefinitionArn === bad);
    expect(crashed.length).toBeGreaterThan(0);
    expect(crashed[0]).toMatchObject({ stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" });
    expect(crashed[0]?.containers?.[0]?.exitCode).toBe(1);

    // Two crash at 30 s, two more at 60 s: the third failure trips the breaker.
    await advance(h, 20);
    const service = await describeService(h, "cb", "rb");
    const [rollback, failed] = service.deployments ?? [];
    expect(rollback).toMatchObject({ status: "PRIMARY", taskDefinition: good, rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${completed}.` });
    expect(failed).toMatchObject({ id: failing, rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." });
    const messages = eventMessages(service);
    expect(messages).toContain(`(service rb) (deployment ${failing}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service rb) rolling back to deployment ${completed}.`);

    await advance(h, 120);
    const settled = await describeService(h, "cb", "rb");
    expect(settled.deployments).toHaveLength(1);
    expect(settled.deployments?.[0]).toMatchObject({ id: rollback?.id, rolloutState: "COMPLETED", runningCount: 2 });
    expect(settled.taskDefinition).toBe(good);

    const list = await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "cb", service: "rb" }));
    expect(list.serviceDeployments?.map((d) => d.status)).toEqual(["ROLLBACK_SUCCESSFUL", "SUCCESSFUL"]);
    const [newest, first] = list.serviceDeployments ?? [];
    expect(newest?.serviceDeploymentArn).toMatch(/:service-deployment\/cb\/rb\/[A-Za-z0-9_-]{21}$/);
    expect(first?.targetServiceRevisionArn).toBe(`${settled.serviceArn?.replace(":service/", ":service-revision/")}/${completed.replace("ecs-svc/", "")}`);

    const described = await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest?.serviceDeploymentArn ?? "", "arn:aws:ecs:us-east-1:000000000000:service-deployment/cb/rb/nope"] }));
    const record = described.serviceDeployments?.[0];
    expect(record).toMatchObject({
      status: "ROLLBACK_SUCCESSFUL",
      statusReason: "Service deployment rolled back because the circuit breaker threshold was exceeded.",
      deploymentCircuitBreaker: { status: "TRIGGERED", failureCount: 3, threshold: 3 },
      rollback: { reason: "Service deployment rolled back because the circuit breaker threshold was exceeded.", serviceRevisionArn: first?.targetServiceRevisionArn },
      sourceServiceRevisions: [{ arn: first?.targetServiceRevisionArn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }],
      targetServiceRevision: { arn: newest?.targetServiceRevisionArn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 },
    });
    expect(described.failures).toEqual([{ arn: expect.stringContaining("/nope"), reason: "MISSING" }]);

    const revisions = await h.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [newest?.targetServiceRevisionArn ?? ""] }));
    expect(revisions.serviceRevisions?.[0]).toMatchObject({ taskDefinition: bad, launchType: "FARGATE", networkConfiguration: network });
  });

  it("without rollback leaves the failed deployment PRIMARY and keeps trying", async () => {
    await stableService("norb", false);
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "cb", service: "norb", taskDefinition: bad }));
    await advance(h, 300);
    const service = await describeService(h, "cb", "norb");
    const primary = service.deployments?.[0];
    expect(primary).toMatchObject({ status: "PRIMARY", taskDefinition: bad, rolloutState: "FAILED" });
    expect(primary?.failedTasks).toBeGreaterThanOrEqual(3);
    // The old tasks keep serving: minimumHealthyPercent 100 never lets them go while the new ones fail.
    expect(service.deployments?.[1]).toMatchObject({ status: "ACTIVE", taskDefinition: good, runningCount: 2 });
    const list = await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "cb", service: "norb", status: ["STOPPED"] }));
    expect(list.serviceDeployments).toHaveLength(1);
    const live = await serviceTasks(h, "cb", "norb");
    expect(live.some((t) => t.taskDefinitionArn === bad)).toBe(true);
  });
});

describe("a task that fails its load balancer health checks", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "lb");
    await registerWeb(h, "shop", "shop:1.0.0");
    await imageBehaves(h, "shop:1.0.0", "unhealthy");
  });
  afterAll(() => h.close());

  it("is stopped once the health check grace period has passed", async () => {
    const [group] = await loadBalancedGroups(h, "shop", 1);
    await h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "lb",
        serviceName: "shop",
        taskDefinition: "shop",
        desiredCount: 1,
        launchType: "FARGATE",
        networkConfiguration: network,
        loadBalancers: [{ targetGroupArn: group, containerName: "web", containerPort: 8080 }],
        healthCheckGracePeriodSeconds: 60,
      }),
    );
    await advance(h, 25);
    expect(eventMessages(await describeService(h, "lb", "shop"))[0]).toBe(`(service shop) registered 1 targets in (target-group ${group})`);
    // Unhealthy after 2 × 10 s of checks, but the 60 s grace period keeps the task alive until then.
    await advance(h, 40);
    const [task] = await serviceTasks(h, "lb", "shop");
    expect(task?.lastStatus).toBe("RUNNING");
    expect(await targetStates(h, group ?? "")).toEqual(["unhealthy"]);

    await advance(h, 30);
    const stopped = (await serviceTasks(h, "lb", "shop", "STOPPED")).find((t) => t.taskArn === task?.taskArn);
    expect(stopped).toMatchObject({ stopCode: "ServiceSchedulerInitiated", stoppedReason: `Task failed ELB health checks in (target-group ${group})` });
    // Stopped at the end of the grace period (60 s after it started), not at the moment we looked.
    expect((stopped?.stoppingAt?.getTime() ?? 0) - (stopped?.startedAt?.getTime() ?? 0)).toBe(60_000);
    const messages = eventMessages(await describeService(h, "lb", "shop"));
    expect(messages.some((m) => m.includes(`(task ${task?.taskArn?.split("/").pop()}) (port 8080) is unhealthy in (target-group ${group})`))).toBe(true);
    expect((await serviceTasks(h, "lb", "shop")).length).toBe(1);
  });

  it("refuses a target group without a load balancer, with AWS's message", async () => {
    const { CreateTargetGroupCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
    const lone = await h.clients.elbv2.send(new CreateTargetGroupCommand({ Name: "lonely", Protocol: "HTTP", Port: 8080, VpcId: "vpc-0f5e1a7c0de5a1b00", TargetType: "ip" }));
    const arn = lone.TargetGroups?.[0]?.TargetGroupArn ?? "";
    const error = await h.clients.ecs
      .send(
        new CreateServiceCommand({
          cluster: "lb",
          serviceName: "lonely",
          taskDefinition: "shop",
          desiredCount: 1,
          launchType: "FARGATE",
          networkConfiguration: network,
          loadBalancers: [{ targetGroupArn: arn, containerName: "web", containerPort: 8080 }],
        }),
      )
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: "InvalidParameterException", message: `The target group with targetGroupArn ${arn} does not have an associated load balancer.` });
  });
});
