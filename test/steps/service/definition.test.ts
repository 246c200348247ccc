import { DescribeTaskSetsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawServiceStep } from "../../../steps/service/input.js";
import type { LoadedServiceStep } from "../../../steps/service/load.js";
import { deployService } from "../../../steps/service/index.js";
import { describeService, registerWeb, shopDevSim } from "../../sim/ecs-fixtures.js";
import type { SimHarness } from "../../support/sim.js";
import { canaryFixture, context as taskSetContext, runOptions, shop, step } from "./task-sets/world.js";
import { context, options, webStep } from "./world.js";

const spot = [
  { capacityProvider: "FARGATE", base: 1, weight: 1 },
  { capacityProvider: "FARGATE_SPOT", weight: 3 },
];
const namespace = "arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-0dev0000000000000";
/** A step read from a fixture, its launch type taken out: the strategy replaces it (ECS takes one or the other). */
function onCapacityProviders(loaded: LoadedServiceStep): LoadedServiceStep {
  const { launchType: _replaced, ...raw } = loaded.raw;
  return { ...loaded, raw };
}
const http = { portMappings: [{ containerPort: 8080, protocol: "tcp" as const, name: "http" }] };

/**
 * A service that uses ECS's service definition beyond the basics keeps every member through deploys: slipway sends
 * what the step writes, reads it back from DescribeServices, and changes only what differs — proven by a second
 * deploy that changes nothing but the revision.
 */
describe("deploying a service with the whole ECS service definition", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim(["1.0.0", "2.0.0"]);
    for (const version of ["1.0.0", "2.0.0"]) await registerWeb(h, "orders", `shop/web:${version}`, { container: http });
  });
  afterAll(() => h.close());

  const estate = (change: Partial<RawServiceStep> = {}) =>
    onCapacityProviders(webStep({
      service: "orders",
      desiredCount: 3,
      capacityProviderStrategy: spot,
      platformVersion: "1.4.0",
      propagateTags: "SERVICE",
      enableECSManagedTags: true,
      enableExecuteCommand: true,
      availabilityZoneRebalancing: "ENABLED",
      serviceConnectConfiguration: { enabled: true, namespace, services: [{ portName: "http", clientAliases: [{ port: 80, dnsName: "orders" }] }] },
      deployment: { alarms: { alarmNames: ["orders-5xx"], enable: true, rollback: true } },
      tags: [{ key: "team", value: "orders" }],
      ...change,
    }));

  it("rolling: creates it with every member, then a new revision changes nothing else, and an unchanged step writes nothing", async () => {
    const created = await deployService(estate(), context(h), options({ override: "orders:1" }));
    expect(created.output?.status).toBe("SUCCESSFUL");
    const service = await describeService(h, "shop-dev", "orders");
    expect(service).toMatchObject({ capacityProviderStrategy: [expect.objectContaining(spot[0]), expect.objectContaining(spot[1])], propagateTags: "SERVICE", enableECSManagedTags: true, enableExecuteCommand: true, availabilityZoneRebalancing: "ENABLED" });
    expect(service.launchType).toBeUndefined();
    expect(service.deploymentConfiguration?.alarms).toEqual({ alarmNames: ["orders-5xx"], enable: true, rollback: true });
    expect(service.deployments?.find((d) => d.status === "PRIMARY")?.serviceConnectConfiguration).toMatchObject({ enabled: true, services: [{ portName: "http" }] });
    const tags = await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: service.serviceArn }));
    expect(tags.tags).toEqual([{ key: "team", value: "orders" }]);

    const next = await deployService(estate(), context(h), options({ override: "orders:2" }));
    expect(next.output?.status).toBe("SUCCESSFUL");
    expect(next.plan.actions.map((a) => a.kind)).toEqual(["update-service"]);
    expect((next.plan.actions[0]?.params as { input: object }).input).toEqual({ cluster: "shop-dev", service: "orders", taskDefinition: expect.stringMatching(/orders:2$/) });

    const again = await deployService(estate(), context(h), options({ override: "orders:2" }));
    expect(again.plan.actions).toEqual([]);
  });

  it("rolling: a changed member and tag are the only writes — the tag through TagResource, other tags left alone", async () => {
    const service = await describeService(h, "shop-dev", "orders");
    const changed = await deployService(estate({ enableExecuteCommand: false, tags: [{ key: "team", value: "payments" }] }), context(h), options({ override: "orders:2" }));
    expect(changed.plan.actions.map((a) => a.kind)).toEqual(["tag-service", "update-service"]);
    expect((changed.plan.actions[1]?.params as { input: object }).input).toEqual({ cluster: "shop-dev", service: "orders", enableExecuteCommand: false });
    expect(changed.plan.diff).toEqual(["enableExecuteCommand: true → false", "tags: add or change team=payments"]);
    expect(changed.plan.notes).toContain("enableExecuteCommand: applies to tasks started from now on; the running ones keep the old setting until the next deployment (forceNewDeployment: true replaces them now)");
    const after = await describeService(h, "shop-dev", "orders");
    expect(after).toMatchObject({ enableExecuteCommand: false, propagateTags: "SERVICE", capacityProviderStrategy: service.capacityProviderStrategy });
    const tags = await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: service.serviceArn }));
    expect(tags.tags).toEqual([{ key: "team", value: "payments" }]);
  });

  it("canary: the service gets its own members and tags, each task set the capacity providers and platform version", async () => {
    const name = "orders-canary";
    const s = await shop(h, name);
    const canary = (change: Partial<RawServiceStep> = {}) => onCapacityProviders(step(canaryFixture, { service: name, capacityProviderStrategy: spot, platformVersion: "1.4.0", propagateTags: "SERVICE", enableECSManagedTags: true, tags: [{ key: "team", value: "orders" }], ...change }));
    const first = await deployService(canary(), taskSetContext(h, s), runOptions({ override: "shop-web:1" }));
    expect(first.output?.status).toBe("SUCCESSFUL");
    const service = await describeService(h, "shop-dev", name);
    expect(service).toMatchObject({ propagateTags: "SERVICE", enableECSManagedTags: true });
    const sets = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-dev", service: name }));
    expect(sets.taskSets?.map((t) => [t.status, t.capacityProviderStrategy?.map((c) => c.capacityProvider), t.platformVersion])).toEqual([["PRIMARY", ["FARGATE", "FARGATE_SPOT"], "1.4.0"]]);
    const tags = await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: service.serviceArn }));
    expect(tags.tags).toEqual(expect.arrayContaining([{ key: "team", value: "orders" }, { key: "slipway:environment", value: "dev" }]));

    const second = await deployService(canary({ propagateTags: "TASK_DEFINITION", tags: [{ key: "team", value: "payments" }] }), taskSetContext(h, s), runOptions({ override: "shop-web:2" }));
    expect(second.output?.status).toBe("SUCCESSFUL");
    const kinds = second.plan.actions.map((a) => a.kind);
    expect(kinds.slice(0, 2)).toEqual(["update-service-settings", "tag-service"]);
    expect(second.plan.actions[0]?.params).toEqual({ settings: { propagateTags: "TASK_DEFINITION" } });
    expect((await describeService(h, "shop-dev", name)).propagateTags).toBe("TASK_DEFINITION");
  });

  it("canary: the revision it already runs with other service settings changes only those; other capacity providers need new task sets", async () => {
    const name = "orders-settings";
    const s = await shop(h, name);
    const canary = (change: Partial<RawServiceStep> = {}) => onCapacityProviders(step(canaryFixture, { service: name, capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }], propagateTags: "SERVICE", ...change }));
    expect((await deployService(canary(), taskSetContext(h, s), runOptions({ override: "shop-web:1" }))).output?.status).toBe("SUCCESSFUL");
    const before = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-dev", service: name }));

    const same = await deployService(canary(), taskSetContext(h, s), runOptions({ override: "shop-web:1" }));
    expect(same.plan.actions).toEqual([]);
    const settings = await deployService(canary({ propagateTags: "NONE" }), taskSetContext(h, s), runOptions({ override: "shop-web:1" }));
    expect(settings.plan.actions.map((a) => a.kind)).toEqual(["update-service-settings"]);
    expect(settings.plan.notes).toEqual([`${name} already runs shop-web:1 alone with all traffic: only the service's own settings change (no new task set)`]);
    expect((await describeService(h, "shop-dev", name)).propagateTags).toBe("NONE");
    const after = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-dev", service: name }));
    expect(after.taskSets?.map((t) => t.id)).toEqual(before.taskSets?.map((t) => t.id));

    const spotOnly = await deployService(canary({ propagateTags: "NONE", capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }), taskSetContext(h, s), runOptions({ override: "shop-web:1" }));
    expect(spotOnly.plan.actions.map((a) => a.kind)).toContain("create-task-set");
    const sets = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-dev", service: name }));
    expect(sets.taskSets?.map((t) => t.capacityProviderStrategy?.map((c) => c.capacityProvider))).toEqual([["FARGATE_SPOT"]]);
  });
});
