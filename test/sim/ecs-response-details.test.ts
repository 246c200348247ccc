import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateServiceCommand, CreateTaskSetCommand, DescribeTaskSetsCommand } from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, network, registerWeb } from "./ecs-fixtures.js";

/** Details of ECS's answers as AWS gives them (issue 19, point 3). */
describe("task sets as AWS shows them", () => {
  let h: SimHarness;
  let v1: string;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "det");
    v1 = await registerWeb(h, "det", "det:1");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "det", serviceName: "ext", desiredCount: 1, deploymentController: { type: "EXTERNAL" } }));
  });
  afterAll(() => h.close());

  it("leaves startedBy out of a set an external deployment made, and shows its externalId", async () => {
    // AWS: "If an external deployment created the task set, the startedBy field isn't used."
    const created = await h.clients.ecs.send(
      new CreateTaskSetCommand({ cluster: "det", service: "ext", taskDefinition: v1, externalId: "deploy-42", launchType: "FARGATE", networkConfiguration: network }),
    );
    expect(created.taskSet?.externalId).toBe("deploy-42");
    expect(created.taskSet?.startedBy).toBeUndefined();
    const described = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "det", service: "ext" }));
    expect(described.taskSets?.[0]?.startedBy).toBeUndefined();
  });
});
