import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DescribeCapacityProvidersCommand,
  UpdateServiceCommand,
  type CapacityProviderStrategyItem,
  type CreateServiceCommandInput,
  type Task,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";

const fails = (p: Promise<unknown>) => p.then(() => new Error("expected the call to fail"), (e: Error) => e);

const MUST_FORCE =
  "When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.";
const NOT_ASSOCIATED =
  "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.";

/** How many of the tasks run on each capacity provider; every one of them is a FARGATE launch-type task. */
function byProvider(tasks: Task[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    expect(task.launchType).toBe("FARGATE");
    const name = task.capacityProviderName ?? "none";
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe("DescribeCapacityProviders: the two built-in Fargate providers", () => {
  let h: SimHarness;
  let account: string;
  const arn = (name: string) => `arn:aws:ecs:us-east-1:${account}:capacity-provider/${name}`;
  beforeAll(async () => {
    h = await startSim();
    account = h.sim.account;
  });
  afterAll(() => h.close());

  it("lists FARGATE and FARGATE_SPOT, and nothing else, when asked for none in particular", async () => {
    const out = await h.clients.ecs.send(new DescribeCapacityProvidersCommand({}));
    expect(out.capacityProviders).toEqual([
      { capacityProviderArn: arn("FARGATE"), name: "FARGATE", status: "ACTIVE", tags: [] },
      { capacityProviderArn: arn("FARGATE_SPOT"), name: "FARGATE_SPOT", status: "ACTIVE", tags: [] },
    ]);
    expect(out.failures).toEqual([]);
    expect(out.nextToken).toBeUndefined();
  });

  it("finds a provider by name or ARN, with tags when asked, and reports an unknown one as MISSING", async () => {
    const out = await h.clients.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [arn("FARGATE_SPOT"), "my-asg-provider"], include: ["TAGS"] }));
    expect(out.capacityProviders).toEqual([{ capacityProviderArn: arn("FARGATE_SPOT"), name: "FARGATE_SPOT", status: "ACTIVE", tags: [] }]);
    expect(out.failures).toEqual([{ arn: arn("my-asg-provider"), reason: "MISSING" }]);
    const byName = await h.clients.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ["FARGATE"] }));
    expect(byName.capacityProviders?.map((p) => p.name)).toEqual(["FARGATE"]);
  });

  it("pages by maxResults, which may be 1 to 10", async () => {
    const first = await h.clients.ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 1 }));
    expect(first.capacityProviders?.map((p) => p.name)).toEqual(["FARGATE"]);
    expect(first.nextToken).toBeTruthy();
    const second = await h.clients.ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 1, nextToken: first.nextToken }));
    expect(second.capacityProviders?.map((p) => p.name)).toEqual(["FARGATE_SPOT"]);
    expect(second.nextToken).toBeUndefined();
    const tooMany = await fails(h.clients.ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 11 })));
    expect(tooMany).toMatchObject({ name: "InvalidParameterException", message: "maxResults must be between 1 and 10" });
  });

  it("with a cluster, answers only the providers associated with it", async () => {
    await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "spotty", capacityProviders: ["FARGATE_SPOT"] }));
    const out = await h.clients.ecs.send(new DescribeCapacityProvidersCommand({ cluster: "spotty" }));
    expect(out.capacityProviders?.map((p) => p.name)).toEqual(["FARGATE_SPOT"]);
    const missing = await fails(h.clients.ecs.send(new DescribeCapacityProvidersCommand({ cluster: "nowhere" })));
    expect(missing).toMatchObject({ name: "ClusterNotFoundException" });
  });
});

describe("ECS services on capacity provider strategies", () => {
  let h: SimHarness;
  const base = { cluster: "apps", taskDefinition: "web:1", desiredCount: 1, networkConfiguration: network };
  const create = (input: Partial<CreateServiceCommandInput> & { serviceName: string }) => h.clients.ecs.send(new CreateServiceCommand({ ...base, ...input }));
  const update = (input: Partial<UpdateServiceCommandInput> & { service: string }) => h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", ...input }));
  const spot: CapacityProviderStrategyItem[] = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];

  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "apps");
    await registerWeb(h, "web", "web:1.0.0");
  });
  afterAll(() => h.close());

  describe("refuses what ECS refuses, in its words", () => {
    it.each<[string, Partial<CreateServiceCommandInput>, string]>([
      [
        "a launch type and a strategy together",
        { launchType: "FARGATE", capacityProviderStrategy: spot },
        "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
      ],
      ["a platform version on EC2", { launchType: "EC2", platformVersion: "1.4.0" }, "The platform version must be null when specifying an EC2 launch type."],
      ["a provider the cluster does not have", { capacityProviderStrategy: [{ capacityProvider: "my-asg-provider", weight: 1 }] }, NOT_ASSOCIATED],
      [
        "a base on two providers",
        {
          capacityProviderStrategy: [
            { capacityProvider: "FARGATE", base: 1, weight: 1 },
            { capacityProvider: "FARGATE_SPOT", base: 2, weight: 1 },
          ],
        },
        "The specified capacity provider strategy cannot contain more than one capacity provider with a base value. Specify a base value for only one capacity provider and try again.",
      ],
      [
        "no provider with a weight",
        { capacityProviderStrategy: [{ capacityProvider: "FARGATE", base: 1 }, { capacityProvider: "FARGATE_SPOT" }] },
        "There are no capacity providers with a weight value greater than zero defined in the capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the capacity provider strategy and try again.",
      ],
      ["a weight over 1000", { capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1001 }] }, "weight must be between 0 and 1000."],
      ["a base over 100000", { capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 100_001 }] }, "base must be between 0 and 100000."],
      ["more than 20 providers", { capacityProviderStrategy: Array.from({ length: 21 }, () => ({ capacityProvider: "FARGATE", weight: 1 })) }, "capacityProviderStrategy can have at most 20 items."],
      ["an item without a provider", { capacityProviderStrategy: [{ weight: 1 } as CapacityProviderStrategyItem] }, "capacityProvider can not be blank."],
    ])("%s", async (_what, input, message) => {
      const refused = await fails(create({ serviceName: "refused", ...input }));
      expect(refused).toMatchObject({ name: "InvalidParameterException", message });
      const listed = await fails(describeService(h, "apps", "refused"));
      expect(listed).toBeInstanceOf(Error);
    });

    it("a cluster default strategy with no weight, in the words AWS uses for a default strategy", async () => {
      await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "weightless", capacityProviders: ["FARGATE_SPOT"], defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT" }] }));
      const refused = await fails(h.clients.ecs.send(new CreateServiceCommand({ ...base, cluster: "weightless", serviceName: "web" })));
      expect(refused).toMatchObject({
        name: "InvalidParameterException",
        message:
          "There are no capacity providers with a weight value greater than zero defined in the default capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the cluster's default capacity provider strategy or specify a valid capacity provider strategy and try again.",
      });
    });
  });

  it("describes a strategy service by its strategy and a launch-type service by its launch type, never both", async () => {
    const strategy = [{ capacityProvider: "FARGATE_SPOT", weight: 3 }, { capacityProvider: "FARGATE", weight: 1 }];
    const created = await create({ serviceName: "on-spot", capacityProviderStrategy: strategy });
    expect(created.service).toMatchObject({ capacityProviderStrategy: strategy, platformVersion: "LATEST", platformFamily: "Linux" });
    expect(created.service?.launchType).toBeUndefined();
    const described = await describeService(h, "apps", "on-spot");
    expect(described.capacityProviderStrategy).toEqual(strategy);
    expect(described.launchType).toBeUndefined();
    expect(described.deployments?.[0]?.capacityProviderStrategy).toEqual(strategy);
    expect(described.deployments?.[0]?.launchType).toBeUndefined();

    await create({ serviceName: "on-demand", launchType: "FARGATE" });
    const onDemand = await describeService(h, "apps", "on-demand");
    expect(onDemand).toMatchObject({ launchType: "FARGATE", platformVersion: "LATEST" });
    expect(onDemand.capacityProviderStrategy).toBeUndefined();
    expect(onDemand.deployments?.[0]?.capacityProviderStrategy).toBeUndefined();
  });

  it("keeps the platform version asked for, on a launch type or a strategy, and LATEST only when none was", async () => {
    await create({ serviceName: "pinned", launchType: "FARGATE", platformVersion: "1.3.0" });
    await create({ serviceName: "pinned-spot", capacityProviderStrategy: spot, platformVersion: "1.4.0" });
    expect((await describeService(h, "apps", "pinned")).platformVersion).toBe("1.3.0");
    expect((await describeService(h, "apps", "pinned-spot")).platformVersion).toBe("1.4.0");
    expect((await serviceTasks(h, "apps", "pinned"))[0]?.platformVersion).toBe("1.3.0");
    // LATEST is what the service says; its tasks run the version LATEST stands for.
    expect((await serviceTasks(h, "apps", "on-demand"))[0]?.platformVersion).toBe("1.4.0");

    await update({ service: "pinned", platformVersion: "1.4.0" });
    const updated = await describeService(h, "apps", "pinned");
    expect(updated.platformVersion).toBe("1.4.0");
    expect(updated.deployments?.[0]).toMatchObject({ status: "PRIMARY", platformVersion: "1.4.0" });
  });

  it("refuses a platform version for a service on EC2, at update too", async () => {
    await create({ serviceName: "ec2", launchType: "EC2" });
    const refused = await fails(update({ service: "ec2", platformVersion: "1.4.0" }));
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: "The platform version must be null when specifying an EC2 launch type." });
    const service = await describeService(h, "apps", "ec2");
    expect(service.launchType).toBe("EC2");
    expect(service.platformVersion).toBeUndefined();
  });

  it("switches a launch-type service to a strategy only when a new deployment is forced", async () => {
    await create({ serviceName: "switch", launchType: "FARGATE", desiredCount: 2 });
    await advance(h, 60);
    const refused = await fails(update({ service: "switch", capacityProviderStrategy: spot, desiredCount: 3 }));
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: MUST_FORCE });
    let service = await describeService(h, "apps", "switch");
    // A refused update changes nothing, its other parameters included.
    expect(service).toMatchObject({ launchType: "FARGATE", desiredCount: 2 });
    expect(service.deployments).toHaveLength(1);

    await update({ service: "switch", capacityProviderStrategy: spot, forceNewDeployment: true });
    service = await describeService(h, "apps", "switch");
    expect(service.capacityProviderStrategy).toEqual(spot);
    expect(service.launchType).toBeUndefined();
    expect(service.deployments?.map((d) => d.status)).toEqual(["PRIMARY", "ACTIVE"]);
    await advance(h, 120);
    expect(byProvider(await serviceTasks(h, "apps", "switch"))).toEqual({ FARGATE_SPOT: 2 });
  });

  it("changes a strategy only when forced, and takes the same strategy sent again as no change", async () => {
    const changed = [{ capacityProvider: "FARGATE", weight: 1 }];
    const refused = await fails(update({ service: "switch", capacityProviderStrategy: changed }));
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: MUST_FORCE });

    const deploymentsBefore = (await describeService(h, "apps", "switch")).deployments?.map((d) => d.id);
    await update({ service: "switch", capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }] });
    expect((await describeService(h, "apps", "switch")).deployments?.map((d) => d.id)).toEqual(deploymentsBefore);

    await update({ service: "switch", capacityProviderStrategy: changed, forceNewDeployment: true });
    await advance(h, 120);
    expect((await describeService(h, "apps", "switch")).capacityProviderStrategy).toEqual(changed);
    expect(byProvider(await serviceTasks(h, "apps", "switch"))).toEqual({ FARGATE: 2 });
  });

  it("reverts to the launch type it was created with on an empty strategy, forced", async () => {
    const refused = await fails(update({ service: "switch", capacityProviderStrategy: [] }));
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: MUST_FORCE });
    await update({ service: "switch", capacityProviderStrategy: [], forceNewDeployment: true });
    const service = await describeService(h, "apps", "switch");
    expect(service).toMatchObject({ launchType: "FARGATE", platformVersion: "LATEST" });
    expect(service.capacityProviderStrategy).toBeUndefined();
    await advance(h, 120);
    const tasks = await serviceTasks(h, "apps", "switch");
    expect(tasks.map((t) => [t.launchType, t.capacityProviderName])).toEqual([
      ["FARGATE", undefined],
      ["FARGATE", undefined],
    ]);
    // On a launch type already, an empty strategy is nothing to change.
    const deployments = (await describeService(h, "apps", "switch")).deployments?.map((d) => d.id);
    await update({ service: "switch", capacityProviderStrategy: [] });
    expect((await describeService(h, "apps", "switch")).deployments?.map((d) => d.id)).toEqual(deployments);
  });

  it("has no launch type to revert to for a service created on a strategy", async () => {
    await create({ serviceName: "born-spot", capacityProviderStrategy: spot });
    const unforced = await fails(update({ service: "born-spot", capacityProviderStrategy: [] }));
    expect(unforced).toMatchObject({ name: "InvalidParameterException", message: MUST_FORCE });
    const forced = await fails(update({ service: "born-spot", capacityProviderStrategy: [], forceNewDeployment: true }));
    expect(forced).toMatchObject({
      name: "InvalidParameterException",
      message: "No launch type to fall back to for empty capacity provider strategy. Your service was not created with a launch type.",
    });
    expect((await describeService(h, "apps", "born-spot")).capacityProviderStrategy).toEqual(spot);
  });

  it("places base tasks on the provider with the base, then splits the rest by weight", async () => {
    const strategy = [
      { capacityProvider: "FARGATE", base: 2, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
    ];
    await create({ serviceName: "mixed", capacityProviderStrategy: strategy, desiredCount: 10 });
    // 2 on FARGATE for the base; the other 8 one to three: 2 more on FARGATE and 6 on FARGATE_SPOT.
    expect(byProvider(await serviceTasks(h, "apps", "mixed"))).toEqual({ FARGATE: 4, FARGATE_SPOT: 6 });
    await advance(h, 60);
    expect((await describeService(h, "apps", "mixed")).runningCount).toBe(10);

    // Scaling out keeps to the split: 14 tasks are 2 + 3 on FARGATE and 9 on FARGATE_SPOT.
    await update({ service: "mixed", desiredCount: 14 });
    expect(byProvider(await serviceTasks(h, "apps", "mixed"))).toEqual({ FARGATE: 5, FARGATE_SPOT: 9 });

    // Fewer tasks than the base: all of them on the provider with the base.
    await create({ serviceName: "small", capacityProviderStrategy: strategy, desiredCount: 2 });
    expect(byProvider(await serviceTasks(h, "apps", "small"))).toEqual({ FARGATE: 2 });
  });

  it("splits by weight alone when no provider has a base (weights 1 and 4: one task in five on the first)", async () => {
    await create({
      serviceName: "weighted",
      capacityProviderStrategy: [
        { capacityProvider: "FARGATE", weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 4 },
      ],
      desiredCount: 5,
    });
    expect(byProvider(await serviceTasks(h, "apps", "weighted"))).toEqual({ FARGATE: 1, FARGATE_SPOT: 4 });
  });
});

describe("EXTERNAL services: task-set parameters stay on task sets", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "ext");
    await registerWeb(h, "shop", "shop:1");
  });
  afterAll(() => h.close());

  it("refuses serviceRegistries on the service, as it refuses the other task-set parameters", async () => {
    const refused = await fails(
      h.clients.ecs.send(
        new CreateServiceCommand({
          cluster: "ext",
          serviceName: "shop",
          desiredCount: 2,
          deploymentController: { type: "EXTERNAL" },
          serviceRegistries: [{ registryArn: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1234567890abcdef" }],
        }),
      ),
    );
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: "ServiceRegistries must be blank." });
  });

  it("places a task set's tasks by its own strategy", async () => {
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "ext", serviceName: "shop", desiredCount: 4, deploymentController: { type: "EXTERNAL" } }));
    const created = await h.clients.ecs.send(
      new CreateTaskSetCommand({
        cluster: "ext",
        service: "shop",
        taskDefinition: "shop:1",
        networkConfiguration: network,
        capacityProviderStrategy: [
          { capacityProvider: "FARGATE", base: 1 },
          { capacityProvider: "FARGATE_SPOT", weight: 1 },
        ],
        scale: { unit: "PERCENT", value: 100 },
      }),
    );
    expect(created.taskSet?.launchType).toBeUndefined();
    expect(byProvider(await serviceTasks(h, "ext", "shop"))).toEqual({ FARGATE: 1, FARGATE_SPOT: 3 });
  });
});
