import { expect } from "vitest";
import { CreateClusterCommand, CreateServiceCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, type Tag } from "@aws-sdk/client-ecs";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { createCluster, registerTaskDefinition } from "./fixtures.js";

const byKey = (tags: Tag[] | undefined) => (tags ?? []).slice().sort((a, b) => String(a.key).localeCompare(String(b.key)));

async function tagsOf(b: Backend, resourceArn: string | undefined): Promise<Tag[]> {
  return byKey((await b.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags);
}

fidelitySuite("ECS tags", "ca-central-1", ({ both, compared }) => {
  compared("a cluster keeps the tags it was created with", async (b) => {
    const { cluster } = await b.clients.ecs.send(new CreateClusterCommand({ clusterName: "apps", tags: [{ key: "team", value: "payments" }, { key: "env", value: "dev" }] }));
    const tags = await tagsOf(b, cluster?.clusterArn);
    expect(tags).toEqual([{ key: "env", value: "dev" }, { key: "team", value: "payments" }]);
    return tags;
  });

  both("TagResource adds and overwrites tags on a task definition; UntagResource removes keys", async (b) => {
    const td = await registerTaskDefinition(b);
    await b.clients.ecs.send(new TagResourceCommand({ resourceArn: td.taskDefinitionArn, tags: [{ key: "release", value: "1.0.0" }, { key: "owner", value: "web" }] }));
    await b.clients.ecs.send(new TagResourceCommand({ resourceArn: td.taskDefinitionArn, tags: [{ key: "release", value: "1.1.0" }] }));
    expect(await tagsOf(b, td.taskDefinitionArn)).toEqual([{ key: "owner", value: "web" }, { key: "release", value: "1.1.0" }]);
    await b.clients.ecs.send(new UntagResourceCommand({ resourceArn: td.taskDefinitionArn, tagKeys: ["owner"] }));
    expect(await tagsOf(b, td.taskDefinitionArn)).toEqual([{ key: "release", value: "1.1.0" }]);
  });

  both("a service keeps its creation tags and takes more by ARN", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    const { subnets, securityGroups } = await b.network();
    const { service } = await b.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "apps",
        serviceName: "web",
        taskDefinition: "web:1",
        desiredCount: 0,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups } },
        tags: [{ key: "slipway:target", value: "dev" }],
      }),
    );
    await b.clients.ecs.send(new TagResourceCommand({ resourceArn: service?.serviceArn, tags: [{ key: "slipway:release", value: "42" }] }));
    expect(await tagsOf(b, service?.serviceArn)).toEqual([{ key: "slipway:release", value: "42" }, { key: "slipway:target", value: "dev" }]);
  });
});
