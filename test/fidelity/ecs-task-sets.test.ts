import { expect } from "vitest";
import {
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  UpdateServicePrimaryTaskSetCommand,
  UpdateTaskSetCommand,
  type CreateTaskSetCommandInput,
  type TaskSet,
} from "@aws-sdk/client-ecs";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise, pick } from "./normalise.js";
import { createCluster, createWeightedAlb, registerTaskDefinition } from "./fixtures.js";

const region = "ap-southeast-2";

/** An EXTERNAL-controller service: only its name, desired count and controller; task sets carry the rest. */
async function createExternalService(b: Backend, desiredCount = 4): Promise<void> {
  await createCluster(b);
  await registerTaskDefinition(b, "web", "registry.example/web:1.0.0");
  await registerTaskDefinition(b, "web", "registry.example/web:2.0.0");
  await b.clients.ecs.send(new CreateServiceCommand({ cluster: "apps", serviceName: "web", desiredCount, deploymentController: { type: "EXTERNAL" } }));
}

async function createTaskSet(b: Backend, taskDefinition: string, scale: number, extra: Partial<CreateTaskSetCommandInput> = {}): Promise<TaskSet> {
  const { subnets, securityGroups } = await b.network();
  const { taskSet } = await b.clients.ecs.send(
    new CreateTaskSetCommand({
      cluster: "apps",
      service: "web",
      taskDefinition,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups } },
      scale: { unit: "PERCENT", value: scale },
      ...extra,
    }),
  );
  if (!taskSet?.taskSetArn || !taskSet.id) throw new Error("CreateTaskSet returned no task set");
  return taskSet;
}

async function describeTaskSets(b: Backend, taskSets?: string[]): Promise<TaskSet[]> {
  const out = await b.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "apps", service: "web", ...(taskSets && { taskSets }) }));
  return out.taskSets ?? [];
}

fidelitySuite("ECS task sets (EXTERNAL controller)", region, ({ both, compared, simOnly }) => {
  compared("creates an EXTERNAL service that carries no task definition of its own", async (b) => {
    await createExternalService(b);
    const { services } = await b.clients.ecs.send(new DescribeServicesCommand({ cluster: "apps", services: ["web"] }));
    const service = services?.[0];
    expect(service).toMatchObject({ serviceName: "web", status: "ACTIVE", desiredCount: 4, deploymentController: { type: "EXTERNAL" } });
    expect(service?.taskDefinition).toBeUndefined();
    return normalise(pick(service, "serviceName", "serviceArn", "status", "desiredCount", "deploymentController", "taskDefinition"), b);
  });

  compared("creates a task set under the service, with an id, an ARN and its scale", async (b) => {
    await createExternalService(b);
    const created = await createTaskSet(b, "web:1", 100, { externalId: "release-1" });
    expect(created.id).toMatch(/^ecs-svc\/\d+$/);
    expect(created.taskSetArn).toBe(`arn:aws:ecs:${region}:${b.account}:task-set/apps/web/${created.id}`);
    expect(created).toMatchObject({
      serviceArn: `arn:aws:ecs:${region}:${b.account}:service/apps/web`,
      clusterArn: `arn:aws:ecs:${region}:${b.account}:cluster/apps`,
      taskDefinition: `arn:aws:ecs:${region}:${b.account}:task-definition/web:1`,
      externalId: "release-1",
      launchType: "FARGATE",
      scale: { unit: "PERCENT", value: 100 },
    });
    return normalise(pick(created, "id", "taskSetArn", "serviceArn", "clusterArn", "taskDefinition", "externalId", "launchType", "scale"), b);
  });

  both("describes task sets: all of the service's, or those named by ARN", async (b) => {
    await createExternalService(b);
    const blue = await createTaskSet(b, "web:1", 100);
    const green = await createTaskSet(b, "web:2", 0);
    const all = await describeTaskSets(b);
    expect(all.map((t) => t.taskSetArn).sort()).toEqual([blue.taskSetArn, green.taskSetArn].sort());
    const one = await describeTaskSets(b, [green.taskSetArn ?? ""]);
    expect(one.map((t) => t.taskDefinition)).toEqual([green.taskDefinition]);
  });

  both("attaches the task set to a target group for the given container and port", async (b) => {
    const alb = await createWeightedAlb(b);
    await createExternalService(b);
    const loadBalancers = [{ targetGroupArn: alb.greenArn, containerName: "app", containerPort: 8080 }];
    const created = await createTaskSet(b, "web:2", 0, { loadBalancers });
    expect(created.loadBalancers).toEqual(loadBalancers);
    expect((await describeTaskSets(b, [created.taskSetArn ?? ""]))[0]?.loadBalancers).toEqual(loadBalancers);
  });

  compared("keeps the Cloud Map registry a task set was created with", async (b) => {
    await createExternalService(b);
    const serviceRegistries = [{ registryArn: `arn:aws:servicediscovery:${region}:${b.account}:service/srv-0123456789abcdef` }];
    const created = await createTaskSet(b, "web:2", 0, { serviceRegistries });
    expect(created.serviceRegistries).toEqual(serviceRegistries);
    const described = (await describeTaskSets(b, [created.taskSetArn ?? ""]))[0];
    expect(described?.serviceRegistries).toEqual(serviceRegistries);
    return normalise(described?.serviceRegistries, b);
  });

  both("updates a task set's scale", async (b) => {
    await createExternalService(b);
    const green = await createTaskSet(b, "web:2", 0);
    const { taskSet } = await b.clients.ecs.send(new UpdateTaskSetCommand({ cluster: "apps", service: "web", taskSet: green.taskSetArn, scale: { unit: "PERCENT", value: 50 } }));
    expect(taskSet?.scale).toEqual({ unit: "PERCENT", value: 50 });
    expect((await describeTaskSets(b, [green.taskSetArn ?? ""]))[0]?.scale).toEqual({ unit: "PERCENT", value: 50 });
  });

  simOnly("moto differs: computedDesiredCount is not returned (and moto rounds down)", "computes each task set's desired count from the service's, rounding up", async (b) => {
    await createExternalService(b, 3);
    const green = await createTaskSet(b, "web:2", 50);
    // 3 × 50 % = 1.5, which AWS rounds up to 2 tasks.
    expect(green.computedDesiredCount).toBe(2);
  });

  both("makes one task set PRIMARY and the others ACTIVE", async (b) => {
    await createExternalService(b);
    const blue = await createTaskSet(b, "web:1", 100);
    const green = await createTaskSet(b, "web:2", 100);
    await b.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "apps", service: "web", primaryTaskSet: blue.taskSetArn }));
    const { taskSet } = await b.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "apps", service: "web", primaryTaskSet: green.taskSetArn }));
    expect(taskSet?.status).toBe("PRIMARY");
    const byArn = new Map((await describeTaskSets(b)).map((t) => [t.taskSetArn, t.status]));
    expect(byArn.get(green.taskSetArn)).toBe("PRIMARY");
    expect(byArn.get(blue.taskSetArn)).toBe("ACTIVE");
  });

  both("the service takes its task definition from the PRIMARY task set", async (b) => {
    await createExternalService(b);
    const green = await createTaskSet(b, "web:2", 100);
    await b.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "apps", service: "web", primaryTaskSet: green.taskSetArn }));
    const { services } = await b.clients.ecs.send(new DescribeServicesCommand({ cluster: "apps", services: ["web"] }));
    expect(services?.[0]?.taskDefinition).toBe(green.taskDefinition);
  });

  both("deletes a task set that is not PRIMARY", async (b) => {
    await createExternalService(b);
    const blue = await createTaskSet(b, "web:1", 100);
    const green = await createTaskSet(b, "web:2", 0);
    await b.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "apps", service: "web", primaryTaskSet: blue.taskSetArn }));
    const { taskSet } = await b.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "apps", service: "web", taskSet: green.taskSetArn }));
    expect(taskSet?.taskSetArn).toBe(green.taskSetArn);
    const remaining = (await describeTaskSets(b)).filter((t) => t.status !== "DRAINING");
    expect(remaining.map((t) => t.taskSetArn)).toEqual([blue.taskSetArn]);
  });

  simOnly("moto differs: deletes the PRIMARY task set without complaint", "refuses to delete the PRIMARY task set while it is scaled above zero", async (b) => {
    await createExternalService(b);
    const blue = await createTaskSet(b, "web:1", 100);
    await b.clients.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "apps", service: "web", primaryTaskSet: blue.taskSetArn }));
    const refused = await b.clients.ecs.send(new DeleteTaskSetCommand({ cluster: "apps", service: "web", taskSet: blue.taskSetArn })).catch((e: Error) => e);
    expect((refused as Error).name).toBe("InvalidParameterException");
  });

  simOnly("moto differs: no limit on task sets per service", "refuses a sixth task set: a service holds at most five", async (b) => {
    await createExternalService(b);
    for (let i = 0; i < 5; i += 1) await createTaskSet(b, "web:1", 0);
    const refused = await createTaskSet(b, "web:2", 0).catch((e: Error) => e);
    expect((refused as Error).name).toBe("InvalidParameterException");
    expect((refused as Error).message).toMatch(/5/);
  });

  simOnly("moto differs: accepts task sets on a service with the ECS deployment controller", "refuses task sets on a service that is not EXTERNAL", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    const { subnets, securityGroups } = await b.network();
    await b.clients.ecs.send(
      new CreateServiceCommand({ cluster: "apps", serviceName: "web", taskDefinition: "web:1", desiredCount: 1, launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups } } }),
    );
    const refused = await createTaskSet(b, "web:1", 100).catch((e: Error) => e);
    expect((refused as Error).name).toBe("InvalidParameterException");
  });

  simOnly("moto differs: accepts a scale above 100 percent", "refuses a scale above 100 percent", async (b) => {
    await createExternalService(b);
    const green = await createTaskSet(b, "web:2", 0);
    const refused = await b.clients.ecs
      .send(new UpdateTaskSetCommand({ cluster: "apps", service: "web", taskSet: green.taskSetArn, scale: { unit: "PERCENT", value: 150 } }))
      .catch((e: Error) => e);
    expect((refused as Error).name).toBe("InvalidParameterException");
  });
});
