import { expect } from "vitest";
import { CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, ListClustersCommand } from "@aws-sdk/client-ecs";
import { fidelitySuite } from "./suite.js";
import { normalise, pick } from "./normalise.js";

fidelitySuite("ECS clusters", "eu-west-1", ({ both, compared }) => {
  compared("creates a cluster that is ACTIVE, listed and described by name or ARN", async (b) => {
    const { cluster } = await b.clients.ecs.send(new CreateClusterCommand({ clusterName: "apps" }));
    expect(cluster?.clusterArn).toBe(`arn:aws:ecs:eu-west-1:${b.account}:cluster/apps`);
    expect(cluster?.status).toBe("ACTIVE");

    const listed = await b.clients.ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toEqual([cluster?.clusterArn]);

    const byName = await b.clients.ecs.send(new DescribeClustersCommand({ clusters: ["apps"] }));
    const byArn = await b.clients.ecs.send(new DescribeClustersCommand({ clusters: [cluster?.clusterArn ?? ""] }));
    expect(byName.clusters?.[0]?.clusterArn).toBe(cluster?.clusterArn);
    expect(byArn.clusters?.[0]?.clusterName).toBe("apps");
    return normalise(pick(byName.clusters?.[0], "clusterArn", "clusterName", "status", "runningTasksCount", "pendingTasksCount", "activeServicesCount"), b);
  });

  both("creating a cluster that exists returns the same cluster instead of a second one", async (b) => {
    const first = await b.clients.ecs.send(new CreateClusterCommand({ clusterName: "apps" }));
    const again = await b.clients.ecs.send(new CreateClusterCommand({ clusterName: "apps" }));
    expect(again.cluster?.clusterArn).toBe(first.cluster?.clusterArn);
    const listed = await b.clients.ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toHaveLength(1);
  });

  both("reports an unknown cluster as a MISSING failure, not an error", async (b) => {
    const out = await b.clients.ecs.send(new DescribeClustersCommand({ clusters: ["nowhere"] }));
    expect(out.clusters).toEqual([]);
    expect(out.failures).toEqual([{ arn: `arn:aws:ecs:eu-west-1:${b.account}:cluster/nowhere`, reason: "MISSING" }]);
  });

  // AWS: a deleted cluster "might remain discoverable" for a while, so only its status is asserted, not the list.
  both("deletes a cluster: it answers INACTIVE", async (b) => {
    await b.clients.ecs.send(new CreateClusterCommand({ clusterName: "apps" }));
    const { cluster } = await b.clients.ecs.send(new DeleteClusterCommand({ cluster: "apps" }));
    expect(cluster?.clusterName).toBe("apps");
    expect(cluster?.status).toBe("INACTIVE");
  });
});
