import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  RegisterTaskDefinitionCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ListClustersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

describe("simulated ECS clusters", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("creates a cluster with its ARN, ACTIVE status, zero counts and tags", async () => {
    const { cluster } = await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "web", tags: [{ key: "team", value: "edge" }] }));
    expect(cluster).toMatchObject({
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/web`,
      clusterName: "web",
      status: "ACTIVE",
      activeServicesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
    });
    const described = await h.clients.ecs.send(new DescribeClustersCommand({ clusters: ["web"], include: ["TAGS"] }));
    expect(described.clusters?.[0]?.tags).toEqual([{ key: "team", value: "edge" }]);
  });

  it("answers CreateCluster for an existing ACTIVE name with the same cluster", async () => {
    const first = await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "twice" }));
    const second = await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "twice" }));
    expect(second.cluster?.clusterArn).toBe(first.cluster?.clusterArn);
    const list = await h.clients.ecs.send(new ListClustersCommand({}));
    expect(list.clusterArns?.filter((a) => a.endsWith("/twice"))).toHaveLength(1);
  });

  it("refuses a cluster name AWS would refuse", async () => {
    const error = await errorOf(h.clients.ecs.send(new CreateClusterCommand({ clusterName: "has space" })));
    expect(error?.name).toBe("InvalidParameterException");
  });

  it("describes by name or ARN and reports unknown clusters as MISSING failures", async () => {
    const arn = "arn:aws:ecs:us-east-1:000000000000:cluster/web";
    const out = await h.clients.ecs.send(new DescribeClustersCommand({ clusters: [arn, "nope"] }));
    expect(out.clusters?.map((c) => c.clusterName)).toEqual(["web"]);
    expect(out.failures).toEqual([{ arn: "arn:aws:ecs:us-east-1:000000000000:cluster/nope", reason: "MISSING" }]);
    expect(out.clusters?.[0]?.tags ?? []).toEqual([]);
  });

  it("pages ListClusters and refuses an out-of-range maxResults", async () => {
    for (const n of [1, 2, 3, 4, 5]) await h.clients.ecs.send(new CreateClusterCommand({ clusterName: `page-${n}` }));
    const all = await h.clients.ecs.send(new ListClustersCommand({}));
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.clients.ecs.send(new ListClustersCommand({ maxResults: 2, ...(nextToken && { nextToken }) }));
      expect(page.clusterArns?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.clusterArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(all.clusterArns);
    expect((await errorOf(h.clients.ecs.send(new ListClustersCommand({ maxResults: 101 }))))?.name).toBe("InvalidParameterException");
    expect((await errorOf(h.clients.ecs.send(new ListClustersCommand({ nextToken: "garbage!" }))))?.name).toBe("InvalidParameterException");
  });

  it("counts a cluster's services and running tasks, and refuses to delete it until the service is gone", async () => {
    await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "busy" }));
    await h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "busy-app",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "app", image: "app:1" }],
      }),
    );
    const { service } = await h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "busy",
        serviceName: "api",
        taskDefinition: "busy-app",
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
      }),
    );
    await h.control("POST", "clock", { advanceSeconds: 300 });
    const described = await h.clients.ecs.send(new DescribeClustersCommand({ clusters: ["busy"] }));
    expect(described.clusters?.[0]).toMatchObject({ activeServicesCount: 1, runningTasksCount: 2, pendingTasksCount: 0 });
    const error = await errorOf(h.clients.ecs.send(new DeleteClusterCommand({ cluster: "busy" })));
    expect(error?.name).toBe("ClusterContainsServicesException");
    expect(error?.message).toBe("The Cluster cannot be deleted while Services are active.");

    // Services are tagged through the same store as clusters.
    await h.clients.ecs.send(new TagResourceCommand({ resourceArn: service?.serviceArn, tags: [{ key: "tier", value: "api" }] }));
    expect((await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: service?.serviceArn }))).tags).toEqual([{ key: "tier", value: "api" }]);

    await h.clients.ecs.send(new DeleteServiceCommand({ cluster: "busy", service: "api", force: true }));
    await h.control("POST", "clock", { advanceSeconds: 600 });
    const { cluster } = await h.clients.ecs.send(new DeleteClusterCommand({ cluster: "busy" }));
    expect(cluster?.status).toBe("INACTIVE");
  });

  it("deletes a cluster: it turns INACTIVE, leaves the list, and cannot be deleted again", async () => {
    await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "gone" }));
    const { cluster } = await h.clients.ecs.send(new DeleteClusterCommand({ cluster: "gone" }));
    expect(cluster?.status).toBe("INACTIVE");
    const list = await h.clients.ecs.send(new ListClustersCommand({}));
    expect(list.clusterArns).not.toContain(cluster?.clusterArn);
    const described = await h.clients.ecs.send(new DescribeClustersCommand({ clusters: ["gone"] }));
    expect(described.clusters?.[0]?.status).toBe("INACTIVE");
    expect((await errorOf(h.clients.ecs.send(new DeleteClusterCommand({ cluster: "gone" }))))?.name).toBe("ClusterNotFoundException");
    // The name can be used again for a fresh cluster.
    const again = await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "gone" }));
    expect(again.cluster?.status).toBe("ACTIVE");
  });

  it("tags, untags and lists tags on a cluster; an unknown cluster is ClusterNotFoundException", async () => {
    const arn = "arn:aws:ecs:us-east-1:000000000000:cluster/web";
    await h.clients.ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "team", value: "core" }, { key: "env", value: "prod" }] }));
    await h.clients.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env"] }));
    const { tags } = await h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags).toEqual([{ key: "team", value: "core" }]);
    const missing = await errorOf(h.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:ecs:us-east-1:000000000000:cluster/none" })));
    expect(missing?.name).toBe("ClusterNotFoundException");
    const reserved = await errorOf(h.clients.ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "aws:owner", value: "x" }] })));
    expect(reserved?.name).toBe("InvalidParameterException");
  });
});
