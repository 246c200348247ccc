import { CreateServiceCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type HealthCheck, type Task } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, eventMessages, imageBehaves, loadBalancedGroups, network, registerWeb, serviceTasks, targetStates } from "./ecs-fixtures.js";

/**
 * Container health checks on a frozen simulated clock moved by hand. A task is PROVISIONING 5 s and PENDING 15 s, so
 * its containers start 20 s after the task was created. A check passes or fails by the image's behaviour; its timing
 * is Docker's: the first check `interval` after the container started, then every `interval`; failures of checks
 * begun within `startPeriod` do not count; UNHEALTHY at the `retries`-th counted failure.
 */
let h: SimHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const STARTING_SECONDS = 20;
const CHECK = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"];

async function world(): Promise<SimHarness> {
  const sim = (h = await startSim());
  await sim.control("POST", "clock", { speed: 0 });
  await createCluster(sim, "c");
  return sim;
}

async function checkedWeb(sim: SimHarness, family: string, image: string, healthCheck: Omit<HealthCheck, "command">): Promise<string> {
  return registerWeb(sim, family, image, { container: { healthCheck: { command: CHECK, ...healthCheck } } });
}

async function service(sim: SimHarness, name: string, taskDefinition: string, extra: { loadBalancers?: { targetGroupArn: string; containerName: string; containerPort: number }[]; healthCheckGracePeriodSeconds?: number } = {}): Promise<void> {
  await sim.clients.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: name, taskDefinition, desiredCount: 1, launchType: "FARGATE", networkConfiguration: network, ...extra }));
}

async function onlyTask(sim: SimHarness, name: string): Promise<Task> {
  const tasks = await serviceTasks(sim, "c", name);
  expect(tasks).toHaveLength(1);
  return tasks[0] as Task;
}

const health = (task: Task | undefined) => ({ task: task?.healthStatus, containers: (task?.containers ?? []).map((c) => [c.name, c.healthStatus]) });

describe("container health checks", () => {
  it("turn a passing container HEALTHY at its first check, and the deployment waits for it", async () => {
    const sim = await world();
    const def = await checkedWeb(sim, "api", "api:1.0.0", { interval: 20 });
    await service(sim, "api", def);

    await advance(sim, STARTING_SECONDS);
    const started = await onlyTask(sim, "api");
    expect(started.lastStatus).toBe("RUNNING");
    expect(health(started)).toEqual({ task: "UNKNOWN", containers: [["web", "UNKNOWN"]] });

    // A task without a health check would count as healthy 15 s after it started; this one waits for its check.
    await advance(sim, 19);
    expect(health(await onlyTask(sim, "api"))).toEqual({ task: "UNKNOWN", containers: [["web", "UNKNOWN"]] });
    expect((await describeService(sim, "c", "api")).deployments?.[0]?.rolloutState).toBe("IN_PROGRESS");

    await advance(sim, 1);
    expect(health(await onlyTask(sim, "api"))).toEqual({ task: "HEALTHY", containers: [["web", "HEALTHY"]] });
    const done = await describeService(sim, "c", "api");
    expect(done.deployments?.[0]?.rolloutState).toBe("COMPLETED");
    expect(eventMessages(done)).toContain("(service api) has reached a steady state.");
  });

  it("turn a failing container UNHEALTHY after its start period and retries, and the service replaces the task", async () => {
    const sim = await world();
    await imageBehaves(sim, "api:2.0.0-sick", "unhealthy");
    // Checks at 10 and 20 s fall in the 25 s start period; those at 30 and 40 s are the two failures that count.
    const def = await checkedWeb(sim, "api", "api:2.0.0-sick", { interval: 10, retries: 2, startPeriod: 25 });
    await service(sim, "api", def);

    await advance(sim, STARTING_SECONDS + 39);
    const sick = await onlyTask(sim, "api");
    expect(sick.lastStatus).toBe("RUNNING");
    expect(health(sick)).toEqual({ task: "UNKNOWN", containers: [["web", "UNKNOWN"]] });

    await advance(sim, 1);
    const stopped = (await serviceTasks(sim, "c", "api", "STOPPED")).find((t) => t.taskArn === sick.taskArn);
    expect(stopped).toMatchObject({ stopCode: "ServiceSchedulerInitiated", stoppedReason: "Task failed container health checks", desiredStatus: "STOPPED" });
    expect(health(stopped)).toEqual({ task: "UNHEALTHY", containers: [["web", "UNHEALTHY"]] });
    expect(stopped?.stoppingAt?.getTime()).toBe((sick.startedAt?.getTime() ?? 0) + 40_000);

    const id = sick.taskArn?.split("/").pop() ?? "";
    const messages = eventMessages(await describeService(sim, "c", "api"));
    expect(messages).toContain(`(service api) (task ${id}) failed container health checks.`);
    expect(messages).toContain(`(service api) has stopped 1 running tasks: (task ${id}).`);
    // Its replacement starts over, UNKNOWN until its own checks answer.
    const replacement = await onlyTask(sim, "api");
    expect(replacement.taskArn).not.toBe(sick.taskArn);
    expect(replacement.healthStatus).toBe("UNKNOWN");

    // The stopped task finishes its walk and keeps the verdict that stopped it.
    await advance(sim, 30);
    const gone = (await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [sick.taskArn ?? ""] }))).tasks?.[0];
    expect(gone?.lastStatus).toBe("STOPPED");
    expect(health(gone)).toEqual({ task: "UNHEALTHY", containers: [["web", "UNHEALTHY"]] });
  });

  it("leave an UNHEALTHY task running until the service's health check grace period is over", async () => {
    const sim = await world();
    await imageBehaves(sim, "api:2.0.0-sick", "unhealthy");
    // Default retries (3), no start period: UNHEALTHY 30 s after starting, stopped at the 60 s grace period's end.
    const def = await checkedWeb(sim, "api", "api:2.0.0-sick", { interval: 10 });
    await service(sim, "api", def, { healthCheckGracePeriodSeconds: 60 });

    await advance(sim, STARTING_SECONDS + 30);
    const sick = await onlyTask(sim, "api");
    expect(sick).toMatchObject({ lastStatus: "RUNNING", desiredStatus: "RUNNING", healthStatus: "UNHEALTHY" });

    await advance(sim, 30);
    const stopped = (await serviceTasks(sim, "c", "api", "STOPPED")).find((t) => t.taskArn === sick.taskArn);
    expect(stopped?.stoppedReason).toBe("Task failed container health checks");
    expect((stopped?.stoppingAt?.getTime() ?? 0) - (sick.startedAt?.getTime() ?? 0)).toBe(60_000);
  });

  it("leave a task without health checks UNKNOWN, even when its targets are healthy", async () => {
    const sim = await world();
    const [group] = await loadBalancedGroups(sim, "web", 1);
    const def = await registerWeb(sim, "web", "web:1.0.0");
    await service(sim, "web", def, { loadBalancers: [{ targetGroupArn: group ?? "", containerName: "web", containerPort: 8080 }] });

    await advance(sim, STARTING_SECONDS + 60);
    expect(await targetStates(sim, group ?? "")).toEqual(["healthy"]);
    expect((await describeService(sim, "c", "web")).deployments?.[0]?.rolloutState).toBe("COMPLETED");
    expect(health(await onlyTask(sim, "web"))).toEqual({ task: "UNKNOWN", containers: [["web", "UNKNOWN"]] });
  });

  it("hold a load-balanced task back from counting healthy until it is HEALTHY as well as its targets", async () => {
    const sim = await world();
    const [group] = await loadBalancedGroups(sim, "web", 1);
    const def = await checkedWeb(sim, "web", "web:1.0.0", { interval: 40 });
    await service(sim, "web", def, { loadBalancers: [{ targetGroupArn: group ?? "", containerName: "web", containerPort: 8080 }] });

    // Targets pass after two 10 s checks; the container's first check is 40 s after it started.
    await advance(sim, STARTING_SECONDS + 39);
    expect(await targetStates(sim, group ?? "")).toEqual(["healthy"]);
    expect((await describeService(sim, "c", "web")).deployments?.[0]?.rolloutState).toBe("IN_PROGRESS");
    expect((await onlyTask(sim, "web")).healthStatus).toBe("UNKNOWN");

    await advance(sim, 1);
    expect((await onlyTask(sim, "web")).healthStatus).toBe("HEALTHY");
    expect((await describeService(sim, "c", "web")).deployments?.[0]?.rolloutState).toBe("COMPLETED");
  });

  it("of a non-essential container do not make the task UNHEALTHY", async () => {
    const sim = await world();
    await imageBehaves(sim, "agent:1", "unhealthy");
    const out = await sim.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "pair",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          { name: "web", image: "web:1.0.0", essential: true, healthCheck: { command: CHECK, interval: 10 } },
          { name: "agent", image: "agent:1", essential: false, healthCheck: { command: ["CMD", "/agent", "ping"], interval: 10, retries: 1 } },
        ],
      }),
    );
    await service(sim, "pair", out.taskDefinition?.taskDefinitionArn ?? "");

    await advance(sim, STARTING_SECONDS + 10);
    const task = await onlyTask(sim, "pair");
    expect(health(task)).toEqual({ task: "HEALTHY", containers: [["web", "HEALTHY"], ["agent", "UNHEALTHY"]] });

    await advance(sim, 120);
    expect(await serviceTasks(sim, "c", "pair", "STOPPED")).toEqual([]);
    const still = await onlyTask(sim, "pair");
    expect(still).toMatchObject({ taskArn: task.taskArn, lastStatus: "RUNNING", healthStatus: "HEALTHY" });
    expect((await describeService(sim, "c", "pair")).deployments?.[0]?.rolloutState).toBe("COMPLETED");
  });

  it("mark a standalone task UNHEALTHY and leave it running: nothing replaces it", async () => {
    const sim = await world();
    await imageBehaves(sim, "job:1", "unhealthy");
    await checkedWeb(sim, "job", "job:1", { interval: 5, retries: 1 });
    const run = await sim.clients.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "job", launchType: "FARGATE", networkConfiguration: network }));
    const arn = run.tasks?.[0]?.taskArn ?? "";
    expect(run.tasks?.[0]?.containers?.[0]?.healthStatus).toBe("UNKNOWN");

    await advance(sim, STARTING_SECONDS + 5 + 600);
    const task = (await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [arn] }))).tasks?.[0];
    expect(task).toMatchObject({ lastStatus: "RUNNING", desiredStatus: "RUNNING" });
    expect(health(task)).toEqual({ task: "UNHEALTHY", containers: [["web", "UNHEALTHY"]] });
  });

  it("are refused at registration outside AWS's ranges, or without a command", async () => {
    const sim = await world();
    const attempt = (healthCheck: HealthCheck) => checkedWeb(sim, "bad", "web:1", healthCheck).catch((e: Error) => e);
    await expect(attempt({ command: CHECK, interval: 4 })).resolves.toMatchObject({ name: "ClientException", message: expect.stringContaining("'interval' must be between 5 and 300") });
    await expect(attempt({ command: CHECK, timeout: 61 })).resolves.toMatchObject({ name: "ClientException", message: expect.stringContaining("'timeout' must be between 2 and 60") });
    await expect(attempt({ command: CHECK, retries: 0 })).resolves.toMatchObject({ name: "ClientException", message: expect.stringContaining("'retries' must be between 1 and 10") });
    await expect(attempt({ command: CHECK, startPeriod: 301 })).resolves.toMatchObject({ name: "ClientException", message: expect.stringContaining("'startPeriod' must be between 0 and 300") });
    const noCommand = await registerWeb(sim, "bad", "web:1", { container: { healthCheck: { command: [] } } }).catch((e: Error) => e);
    expect(noCommand).toMatchObject({ name: "ClientException", message: expect.stringContaining("'command'") });
    // Within the ranges, the check is kept as given.
    await expect(checkedWeb(sim, "ok", "web:1", { interval: 5, timeout: 2, retries: 10, startPeriod: 300 })).resolves.toContain("task-definition/ok:1");
  });
});
