import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  ListAccountSettingsCommand,
  PutClusterCapacityProvidersCommand,
  UpdateClusterCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, network, registerWeb, serviceTasks } from "./ecs-fixtures.js";

const fails = (p: Promise<unknown>) => p.then(() => new Error("expected the call to fail"), (e: Error) => e);

describe("UpdateCluster, PutClusterCapacityProviders and ListAccountSettings", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createCluster(h, "apps");
    await registerWeb(h, "web", "shop/web:1.0.0");
  });
  afterAll(() => h.close());

  it("updates a cluster's settings by name, its configuration part by part, and its Service Connect defaults", async () => {
    const kms = { managedStorageConfiguration: { kmsKeyId: "arn:aws:kms:us-east-1:000000000000:key/k" } };
    await h.clients.ecs.send(new UpdateClusterCommand({ cluster: "apps", configuration: kms }));
    const { cluster } = await h.clients.ecs.send(
      new UpdateClusterCommand({
        cluster: "apps",
        settings: [{ name: "containerInsights", value: "enhanced" }],
        configuration: { executeCommandConfiguration: { logging: "DEFAULT" } },
        serviceConnectDefaults: { namespace: "shop" },
      }),
    );
    expect(cluster?.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    expect(cluster?.configuration).toEqual({ ...kms, executeCommandConfiguration: { logging: "DEFAULT" } });
    expect(cluster?.serviceConnectDefaults?.namespace).toMatch(/^arn:aws:servicediscovery:us-east-1:000000000000:namespace\/ns-[0-9a-f]{16}$/);
    const described = await h.clients.ecs.send(new DescribeClustersCommand({ clusters: ["apps"], include: ["SETTINGS", "CONFIGURATIONS"] }));
    expect(described.clusters?.[0]).toMatchObject({ settings: cluster?.settings, configuration: cluster?.configuration, serviceConnectDefaults: cluster?.serviceConnectDefaults });
    // A service turning Service Connect on without a namespace joins the cluster's default one.
    const joined = await h.clients.ecs.send(
      new CreateServiceCommand({ cluster: "apps", serviceName: "client", taskDefinition: "web", desiredCount: 0, launchType: "FARGATE", networkConfiguration: network, serviceConnectConfiguration: { enabled: true } }),
    );
    expect(joined.service?.deployments?.[0]?.serviceConnectConfiguration).toEqual({ enabled: true, namespace: cluster?.serviceConnectDefaults?.namespace });
    await h.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "client" }));
    // An empty namespace removes the defaults; then there is no namespace to join.
    const cleared = await h.clients.ecs.send(new UpdateClusterCommand({ cluster: "apps", serviceConnectDefaults: { namespace: "" } }));
    expect(cleared.cluster?.serviceConnectDefaults).toBeUndefined();
    const alone = await fails(
      h.clients.ecs.send(new CreateServiceCommand({ cluster: "apps", serviceName: "alone", taskDefinition: "web", desiredCount: 0, launchType: "FARGATE", networkConfiguration: network, serviceConnectConfiguration: { enabled: true } })),
    );
    expect(alone).toMatchObject({ name: "InvalidParameterException" });
  });

  it("refuses an unknown cluster and a setting ECS does not have", async () => {
    expect(await fails(h.clients.ecs.send(new UpdateClusterCommand({ cluster: "nope", settings: [] })))).toMatchObject({ name: "ClusterNotFoundException" });
    const bad = await fails(h.clients.ecs.send(new UpdateClusterCommand({ cluster: "apps", settings: [{ name: "containerInsights", value: "loud" }] })));
    expect(bad).toMatchObject({ name: "InvalidParameterException" });
  });

  it("associates the Fargate providers with a default strategy that services without one then use", async () => {
    const { cluster } = await h.clients.ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: "apps",
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      }),
    );
    expect(cluster?.capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(cluster?.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }]);
    const created = await h.clients.ecs.send(new CreateServiceCommand({ cluster: "apps", serviceName: "spot", taskDefinition: "web", desiredCount: 1, networkConfiguration: network }));
    expect(created.service?.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }]);
    await advance(h, 60);
    expect((await serviceTasks(h, "apps", "spot")).map((t) => t.capacityProviderName)).toEqual(["FARGATE_SPOT"]);
  });

  it("refuses a provider the account lacks, a strategy naming a provider left out, and leaving out one a task uses", async () => {
    const unknown = await fails(h.clients.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "apps", capacityProviders: ["my-asg"], defaultCapacityProviderStrategy: [] })));
    expect(unknown).toMatchObject({ name: "InvalidParameterException" });
    const outside = await fails(
      h.clients.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "apps", capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategy: [{ capacityProvider: "EC2ish", weight: 1 }] })),
    );
    expect(outside).toMatchObject({ name: "InvalidParameterException" });
    const notListed = await fails(
      h.clients.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "apps", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] })),
    );
    expect(notListed).toMatchObject({ name: "InvalidParameterException", message: expect.stringContaining("not associated with the cluster") });
    const inUse = await fails(h.clients.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "apps", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] })));
    expect(inUse).toMatchObject({ name: "ResourceInUseException" });
    // Once no task runs on FARGATE_SPOT, it can go; an empty strategy leaves the cluster without a default.
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "spot", desiredCount: 0 }));
    await h.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "spot" }));
    await advance(h, 600);
    const { cluster } = await h.clients.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: "apps", capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] }));
    expect(cluster).toMatchObject({ capacityProviders: ["FARGATE"], defaultCapacityProviderStrategy: [] });
  });

  it("lists the account's default settings as effective settings, and none of the principal's own", async () => {
    expect((await h.clients.ecs.send(new ListAccountSettingsCommand({}))).settings).toEqual([]);
    const effective = await h.clients.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true }));
    expect(effective.settings).toHaveLength(10);
    expect(effective.nextToken).toBeDefined();
    const rest = await h.clients.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, nextToken: effective.nextToken }));
    const all = [...(effective.settings ?? []), ...(rest.settings ?? [])];
    expect(Object.fromEntries(all.map((s) => [s.name, s.value]))).toMatchObject({
      serviceLongArnFormat: "enabled",
      taskLongArnFormat: "enabled",
      containerInsights: "disabled",
      fargateTaskRetirementWaitPeriod: "7",
      defaultLogDriverMode: "non-blocking",
      guardDutyActivate: "off",
    });
    expect(all.find((s) => s.name === "guardDutyActivate")).toEqual({ name: "guardDutyActivate", value: "off", type: "aws_managed", principalArn: "arn:aws:iam::000000000000:root" });
    const one = await h.clients.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: "containerInsights", value: "disabled" }));
    expect(one.settings?.map((s) => s.name)).toEqual(["containerInsights"]);
    expect(await fails(h.clients.ecs.send(new ListAccountSettingsCommand({ value: "enabled" })))).toMatchObject({ name: "InvalidParameterException" });
  });
});
