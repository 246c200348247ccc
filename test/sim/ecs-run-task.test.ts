import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  waitUntilTasksStopped,
  type RunTaskCommandInput,
  type Task,
} from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";
import { failure } from "./elbv2-world.js";

/**
 * RunTask's standalone tasks, seen through the SDK on a frozen clock moved by hand. How a container ends is the
 * faults control's to say: an image with the "exit" behaviour exits with its code after its run time.
 */
let h: SimHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MIGRATE = "shop/migrate:1";

async function world(): Promise<{ h: SimHarness; migrate: string }> {
  const sim = (h = await startSim({ speed: 1 }));
  sim.sim.clock.setSpeed(0);
  await createCluster(sim, "c");
  const migrate = await registerWeb(sim, "migrate", MIGRATE);
  return { h: sim, migrate };
}

async function exits(sim: SimHarness, image: string, exitCode: number, runSeconds: number): Promise<void> {
  await sim.control("PUT", "faults/images", { image, behaviour: "exit", exitCode, runSeconds });
}

const fargate = (extra: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput => ({ cluster: "c", taskDefinition: "migrate", launchType: "FARGATE", networkConfiguration: network, ...extra });

async function run(sim: SimHarness, input: RunTaskCommandInput): Promise<Task[]> {
  const out = await sim.clients.ecs.send(new RunTaskCommand(input));
  expect(out.failures).toEqual([]);
  return out.tasks ?? [];
}

async function describe1(sim: SimHarness, arn: string): Promise<Task> {
  const out = await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [arn], include: ["TAGS"] }));
  const task = out.tasks?.[0];
  if (!task) throw new Error(`task ${arn} not found: ${JSON.stringify(out.failures)}`);
  return task;
}

async function listed(sim: SimHarness, filter: { startedBy?: string; desiredStatus?: "RUNNING" | "STOPPED"; family?: string } = {}): Promise<string[]> {
  return (await sim.clients.ecs.send(new ListTasksCommand({ cluster: "c", ...filter }))).taskArns ?? [];
}

const seconds = (a: Date | undefined, b: Date | undefined) => ((b?.getTime() ?? NaN) - (a?.getTime() ?? NaN)) / 1000;

describe("RunTask", () => {
  it("runs a migration task that walks its life on the simulated clock, exits 0 by itself and is awaited with waitUntilTasksStopped", async () => {
    const { h, migrate } = await world();
    await exits(h, MIGRATE, 0, 30);
    const [started] = await run(h, fargate({ startedBy: "slipway-migrate", overrides: { containerOverrides: [{ name: "web", command: ["npm", "run", "migrate"], environment: [{ name: "STEP", value: "up" }] }] } }));
    expect(started).toMatchObject({
      taskDefinitionArn: migrate,
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      group: "family:migrate",
      startedBy: "slipway-migrate",
      launchType: "FARGATE",
      platformVersion: "1.4.0",
      enableExecuteCommand: false,
      overrides: { containerOverrides: [{ name: "web", command: ["npm", "run", "migrate"], environment: [{ name: "STEP", value: "up" }] }], inferenceAcceleratorOverrides: [] },
    });
    const arn = started?.taskArn ?? "";
    expect(arn).toMatch(/:task\/c\/[0-9a-f]{32}$/);
    expect(await listed(h, { startedBy: "slipway-migrate" })).toEqual([arn]);

    // Every 5 simulated seconds: the states it passes through, in order.
    const walk: string[] = [];
    for (let t = 0; t <= 70; t += 5) {
      const task = await describe1(h, arn);
      const state = `${task.lastStatus}/${task.desiredStatus}`;
      if (walk.at(-1) !== state) walk.push(state);
      h.sim.clock.advance(5);
    }
    expect(walk).toEqual(["PROVISIONING/RUNNING", "PENDING/RUNNING", "RUNNING/RUNNING", "STOPPING/STOPPED", "DEPROVISIONING/STOPPED", "STOPPED/STOPPED"]);

    const waited = await waitUntilTasksStopped({ client: h.clients.ecs, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 }, { cluster: "c", tasks: [arn] });
    expect(waited.state).toBe("SUCCESS");
    const stopped = await describe1(h, arn);
    expect(stopped).toMatchObject({ lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" });
    expect(stopped.containers?.map((c) => [c.name, c.lastStatus, c.exitCode])).toEqual([["web", "STOPPED", 0]]);
    // 5 s provisioning, 15 s pending, 30 s running, then 5 s stopping and 5 s deprovisioning.
    expect(seconds(stopped.createdAt, stopped.startedAt)).toBe(20);
    expect(seconds(stopped.startedAt, stopped.stoppingAt)).toBe(30);
    expect(stopped.executionStoppedAt).toEqual(stopped.stoppingAt);
    expect(seconds(stopped.stoppingAt, stopped.stoppedAt)).toBe(10);
    // Nothing replaces it.
    expect(await listed(h)).toEqual([]);
    expect(await listed(h, { desiredStatus: "STOPPED", family: "migrate" })).toEqual([arn]);
  });

  it("lets the waiter wait while the task still runs, then sees a failed migration's exit code 1", async () => {
    const { h } = await world();
    await exits(h, MIGRATE, 1, 10);
    const [task] = await run(h, fargate());
    const arn = task?.taskArn ?? "";
    h.sim.clock.advance(20);
    // The waiter's client, watched: each poll's answer is noted, and the clock moves only after the first.
    const polls: string[] = [];
    let firstPoll: () => void = () => undefined;
    const polled = new Promise<void>((resolve) => (firstPoll = resolve));
    const watched = {
      send: async (command: DescribeTasksCommand) => {
        const out = await h.clients.ecs.send(command);
        polls.push(out.tasks?.[0]?.lastStatus ?? "");
        firstPoll();
        return out;
      },
    } as unknown as ECSClient;
    const waiting = waitUntilTasksStopped({ client: watched, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 }, { cluster: "c", tasks: [arn] });
    await polled;
    expect(polls).toEqual(["RUNNING"]);
    h.sim.clock.advance(60);
    expect((await waiting).state).toBe("SUCCESS");
    const stopped = await describe1(h, arn);
    expect(stopped.stopCode).toBe("EssentialContainerExited");
    expect(stopped.containers?.[0]?.exitCode).toBe(1);
    expect(seconds(stopped.startedAt, stopped.stoppingAt)).toBe(10);
    expect(polls.at(-1)).toBe("STOPPED");
  });

  it("ends a task with the essential container whose image exits first, the others stopped with it", async () => {
    const { h: sim } = await world();
    const two = await sim.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "pair",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          { name: "sidecar", image: "shop/sidecar:1", essential: false },
          { name: "main", image: MIGRATE, essential: true },
          { name: "helper", image: "shop/helper:1", essential: true },
        ],
      }),
    );
    await exits(sim, MIGRATE, 3, 40);
    await exits(sim, "shop/helper:1", 0, 60);
    const [task] = await run(sim, fargate({ taskDefinition: two.taskDefinition?.taskDefinitionArn ?? "" }));
    sim.sim.clock.advance(120);
    const stopped = await describe1(sim, task?.taskArn ?? "");
    expect(seconds(stopped.startedAt, stopped.stoppingAt)).toBe(40);
    expect(stopped.containers?.map((c) => [c.name, c.exitCode])).toEqual([
      ["sidecar", 0],
      ["main", 3],
      ["helper", 0],
    ]);
  });

  it("keeps a healthy image running until StopTask, which stops it as the user asked", async () => {
    const { h } = await world();
    const [task] = await run(h, fargate());
    const arn = task?.taskArn ?? "";
    h.sim.clock.advance(3600);
    expect((await describe1(h, arn)).lastStatus).toBe("RUNNING");
    const out = await h.clients.ecs.send(new StopTaskCommand({ cluster: "c", task: arn, reason: "migration cancelled" }));
    expect(out.task).toMatchObject({ desiredStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "migration cancelled" });
    h.sim.clock.advance(60);
    const stopped = await describe1(h, arn);
    expect(stopped).toMatchObject({ lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "migration cancelled" });
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
    expect(await listed(h)).toEqual([]);
  });

  it("refuses Fargate without a network configuration, with AWS's error", async () => {
    const { h } = await world();
    const error = await failure(h.clients.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "migrate", launchType: "FARGATE" })));
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    const spot = await failure(h.clients.ecs.send(new RunTaskCommand({ cluster: "c", taskDefinition: "migrate", capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] })));
    expect(spot.message).toBe("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    expect(await listed(h)).toEqual([]);
  });

  it("runs up to 10 tasks a call and refuses 11", async () => {
    const { h } = await world();
    const error = await failure(h.clients.ecs.send(new RunTaskCommand(fargate({ count: 11 }))));
    expect(error.name).toBe("InvalidParameterException");
    expect(await listed(h)).toEqual([]);
    const tasks = await run(h, fargate({ count: 10, launchType: undefined, capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }] }));
    expect(new Set(tasks.map((t) => t.taskArn)).size).toBe(10);
    expect(tasks.filter((t) => t.capacityProviderName === "FARGATE_SPOT")).toHaveLength(5);
    expect(tasks.every((t) => t.launchType === "FARGATE")).toBe(true);
    expect(await listed(h)).toHaveLength(10);
  });

  it("answers a repeated clientToken with the tasks it started, and refuses the token for another request", async () => {
    const { h } = await world();
    const first = await run(h, fargate({ clientToken: "migrate-1.4.0", count: 2 }));
    h.sim.clock.advance(30);
    const again = await run(h, fargate({ clientToken: "migrate-1.4.0", count: 2 }));
    expect(again.map((t) => t.taskArn)).toEqual(first.map((t) => t.taskArn));
    expect(again.map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    expect(await listed(h)).toHaveLength(2);
    const error = await failure(h.clients.ecs.send(new RunTaskCommand(fargate({ clientToken: "migrate-1.4.0", count: 3 }))));
    expect(error.name).toBe("ConflictException");
    expect(await listed(h)).toHaveLength(2);
  });

  it("takes a family, family:revision or ARN, and refuses an INACTIVE revision", async () => {
    const { h, migrate } = await world();
    const v2 = await registerWeb(h, "migrate", "shop/migrate:2");
    expect((await run(h, fargate()))[0]?.taskDefinitionArn).toBe(v2);
    expect((await run(h, fargate({ taskDefinition: "migrate:1" })))[0]?.taskDefinitionArn).toBe(migrate);
    expect((await run(h, fargate({ taskDefinition: migrate })))[0]?.taskDefinitionArn).toBe(migrate);
    await h.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "migrate:1" }));
    const error = await failure(h.clients.ecs.send(new RunTaskCommand(fargate({ taskDefinition: "migrate:1" }))));
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("TaskDefinition is inactive");
    const missing = await failure(h.clients.ecs.send(new RunTaskCommand(fargate({ taskDefinition: "nope" }))));
    expect(missing.name).toBe("ClientException");
  });

  it("keeps group, tags (with the task definition's when propagated) and enableExecuteCommand, and checks overrides", async () => {
    const { h, migrate } = await world();
    await h.clients.ecs.send(new TagResourceCommand({ resourceArn: migrate, tags: [{ key: "team", value: "shop" }] }));
    const [task] = await run(h, fargate({ group: "migrations", tags: [{ key: "release", value: "1.4.0" }], propagateTags: "TASK_DEFINITION", enableExecuteCommand: true }));
    const seen = await describe1(h, task?.taskArn ?? "");
    expect(seen).toMatchObject({ group: "migrations", enableExecuteCommand: true });
    expect(seen.startedBy).toBeUndefined();
    expect(seen.tags).toEqual([
      { key: "team", value: "shop" },
      { key: "release", value: "1.4.0" },
    ]);
    const service = await failure(h.clients.ecs.send(new RunTaskCommand(fargate({ propagateTags: "SERVICE" }))));
    expect(service.name).toBe("InvalidParameterException");
    const unknown = await failure(h.clients.ecs.send(new RunTaskCommand(fargate({ overrides: { containerOverrides: [{ name: "nope", command: ["true"] }] } }))));
    expect(unknown.message).toBe("Override for container named nope is not a container in the TaskDefinition.");
  });

  it("leaves service tasks as they were, and a service task whose image exits is replaced like a crashed one", async () => {
    const { h } = await world();
    await registerWeb(h, "web", "shop/web:1");
    await exits(h, "shop/web:1", 3, 20);
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: "web", desiredCount: 1, launchType: "FARGATE", networkConfiguration: network }));
    await run(h, fargate());
    h.sim.clock.advance(60);
    const stopped = await serviceTasks(h, "c", "s", "STOPPED");
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    expect(stopped[0]).toMatchObject({ stopCode: "EssentialContainerExited", group: "service:s" });
    expect(stopped[0]?.containers?.[0]?.exitCode).toBe(3);
    expect(await serviceTasks(h, "c", "s")).toHaveLength(1);
    // The standalone task is not the service's, and the service's are not standalone.
    const all = await listed(h);
    expect(all).toHaveLength(2);
  });
});

describe("the faults control's exit behaviour", () => {
  it("takes an exit code from 0 to 255 and a run time for exit images only, and shows them", async () => {
    const { h } = await world();
    await exits(h, MIGRATE, 2, 45);
    expect(await h.control("GET", "faults")).toMatchObject({ images: { [MIGRATE]: "exit" }, exits: { [MIGRATE]: { exitCode: 2, runSeconds: 45 } } });
    await h.control("PUT", "faults/images", { image: "shop/other:1", behaviour: "exit" });
    expect(await h.control("GET", "faults")).toMatchObject({ exits: { "shop/other:1": { exitCode: 0, runSeconds: 30 } } });
    await expect(h.control("PUT", "faults/images", { image: MIGRATE, behaviour: "exit", exitCode: 256 })).rejects.toThrow(/400/);
    await expect(h.control("PUT", "faults/images", { image: MIGRATE, behaviour: "exit", runSeconds: -1 })).rejects.toThrow(/400/);
    await expect(h.control("PUT", "faults/images", { image: MIGRATE, behaviour: "crash", exitCode: 1 })).rejects.toThrow(/400/);
    // Back to healthy, the image no longer exits.
    await h.control("PUT", "faults/images", { image: MIGRATE, behaviour: "healthy" });
    expect(await h.control("GET", "faults")).toMatchObject({ images: { "shop/other:1": "exit" }, exits: { "shop/other:1": { exitCode: 0, runSeconds: 30 } } });
    expect(((await h.control("GET", "faults")) as { exits: Record<string, unknown> }).exits[MIGRATE]).toBeUndefined();
  });
});
