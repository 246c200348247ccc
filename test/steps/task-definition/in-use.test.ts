import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateClusterCommand, CreateServiceCommand } from "@aws-sdk/client-ecs";
import { EcsTaskDefinitionUsage } from "../../../src/aws/task-definitions-in-use.js";
import { EcsTaskDefinitions } from "../../../src/aws/task-definitions.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { callsSince, resetCalls } from "./world.js";

describe("the task-definitions-in-use port against the simulator", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("reads every service of every cluster in the region, describing them 10 at a time", async () => {
    await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "busy" }));
    await h.clients.ecs.send(new CreateClusterCommand({ clusterName: "other-environment" }));
    const taskDefinitions = new EcsTaskDefinitions(h.clients.ecs);
    const arns: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const { taskDefinition } = await taskDefinitions.register({ family: "busy", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "web", image: `shop/web:${i}` }] });
      arns.push(taskDefinition.taskDefinitionArn ?? "");
      await h.clients.ecs.send(
        new CreateServiceCommand({ cluster: i === 12 ? "other-environment" : "busy", serviceName: `svc-${i}`, taskDefinition: taskDefinition.taskDefinitionArn, desiredCount: 0, launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-aaa"] } } }),
      );
    }
    await resetCalls(h);
    const inUse = await new EcsTaskDefinitionUsage(h.clients.ecs).inUse();
    expect([...inUse.keys()].sort()).toEqual([...arns].sort());
    expect(inUse.get(arns[11] ?? "")).toBe("service svc-12 in other-environment runs it");
    expect((await callsSince(h)).reads).toEqual({ "ecs:ListClusters": 1, "ecs:ListServices": 2, "ecs:DescribeServices": 3 });
  });
});
