import { expect } from "vitest";
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise, pick } from "./normalise.js";
import { createCluster, registerTaskDefinition } from "./fixtures.js";

const region = "eu-central-1";

async function createRollingService(b: Backend, overrides: Partial<CreateServiceCommandInput> = {}) {
  const { subnets, securityGroups } = await b.network();
  const { service } = await b.clients.ecs.send(
    new CreateServiceCommand({
      cluster: "apps",
      serviceName: "web",
      taskDefinition: "web:1",
      desiredCount: 2,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups, assignPublicIp: "DISABLED" } },
      ...overrides,
    }),
  );
  return service;
}

async function describeWeb(b: Backend) {
  const out = await b.clients.ecs.send(new DescribeServicesCommand({ cluster: "apps", services: ["web"] }));
  return out.services?.[0];
}

fidelitySuite("ECS services (rolling, ECS controller)", region, ({ both, compared, simOnly }) => {
  compared("creates an ACTIVE service running the given task definition", async (b) => {
    await createCluster(b);
    const td = await registerTaskDefinition(b);
    const created = await createRollingService(b);
    expect(created).toMatchObject({
      serviceName: "web",
      serviceArn: `arn:aws:ecs:${region}:${b.account}:service/apps/web`,
      clusterArn: `arn:aws:ecs:${region}:${b.account}:cluster/apps`,
      status: "ACTIVE",
      desiredCount: 2,
      launchType: "FARGATE",
      taskDefinition: td.taskDefinitionArn,
    });
    const described = await describeWeb(b);
    expect(described?.serviceArn).toBe(created?.serviceArn);
    expect(described?.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition).toBe(td.taskDefinitionArn);
    return normalise(pick(described, "serviceName", "serviceArn", "clusterArn", "status", "desiredCount", "launchType", "taskDefinition"), b);
  });

  both("describes an unknown service as a MISSING failure", async (b) => {
    await createCluster(b);
    const out = await b.clients.ecs.send(new DescribeServicesCommand({ cluster: "apps", services: ["ghost"] }));
    expect(out.services).toEqual([]);
    expect(out.failures).toHaveLength(1);
    expect(out.failures?.[0]?.reason).toBe("MISSING");
    expect(out.failures?.[0]?.arn).toMatch(/^arn:aws:ecs:eu-central-1:\d{12}:service\/(apps\/)?ghost$/);
  });

  both("refuses a service in a cluster that does not exist", async (b) => {
    await registerTaskDefinition(b);
    const failed = await createRollingService(b, { cluster: "nowhere" }).catch((e: Error) => e);
    expect((failed as Error).name).toBe("ClusterNotFoundException");
  });

  both("lists the services of a cluster", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    const web = await createRollingService(b);
    const api = await createRollingService(b, { serviceName: "api" });
    const listed = await b.clients.ecs.send(new ListServicesCommand({ cluster: "apps" }));
    expect(listed.serviceArns?.slice().sort()).toEqual([api?.serviceArn, web?.serviceArn].sort());
  });

  compared("keeps the Cloud Map registry a service was created with", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    const serviceRegistries = [{ registryArn: `arn:aws:servicediscovery:${region}:${b.account}:service/srv-0123456789abcdef` }];
    const created = await createRollingService(b, { serviceRegistries });
    expect(created?.serviceRegistries).toEqual(serviceRegistries);
    const described = await describeWeb(b);
    expect(described?.serviceRegistries).toEqual(serviceRegistries);
    return normalise(described?.serviceRegistries, b);
  });

  both("updates the desired count", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    await createRollingService(b);
    const { service } = await b.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", desiredCount: 3 }));
    expect(service?.desiredCount).toBe(3);
    expect((await describeWeb(b))?.desiredCount).toBe(3);
  });

  simOnly("moto differs: UpdateService echoes 'web:2' instead of its ARN, and the PRIMARY deployment keeps the old task definition", "updates the task definition (given as family:revision, answered as its ARN) and the desired count", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b, "web", "registry.example/web:1.0.0");
    const next = await registerTaskDefinition(b, "web", "registry.example/web:2.0.0");
    await createRollingService(b);
    const { service } = await b.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", taskDefinition: "web:2", desiredCount: 3 }));
    expect(service).toMatchObject({ taskDefinition: next.taskDefinitionArn, desiredCount: 3 });
    const described = await describeWeb(b);
    expect(described).toMatchObject({ taskDefinition: next.taskDefinitionArn, desiredCount: 3 });
    expect(described?.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition).toBe(next.taskDefinitionArn);
  });

  simOnly("moto differs: UpdateService starts no new deployment; the one PRIMARY deployment stays on the old task definition", "keeps the previous deployment ACTIVE while the new PRIMARY one rolls out", async (b) => {
    await createCluster(b);
    const first = await registerTaskDefinition(b, "web", "registry.example/web:1.0.0");
    await registerTaskDefinition(b, "web", "registry.example/web:2.0.0");
    await createRollingService(b);
    await b.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", taskDefinition: "web:2" }));
    const described = await describeWeb(b);
    expect(described?.deployments?.find((d) => d.status === "ACTIVE")?.taskDefinition).toBe(first.taskDefinitionArn);
  });

  both("refuses to delete a service still scaled above zero unless forced", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    await createRollingService(b);
    const refused = await b.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "web" })).catch((e: Error) => e);
    expect((refused as Error).name).toBe("InvalidParameterException");
    const { service } = await b.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "web", force: true }));
    expect(service?.serviceName).toBe("web");
    expect(["DRAINING", "INACTIVE"]).toContain(service?.status);
  });

  both("deletes a service scaled to zero: it drains and stops being ACTIVE", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    await createRollingService(b);
    await b.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", desiredCount: 0 }));
    const { service } = await b.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "web" }));
    expect(["DRAINING", "INACTIVE"]).toContain(service?.status);
    expect(["DRAINING", "INACTIVE"]).toContain((await describeWeb(b))?.status);
  });

  simOnly("moto differs: a deleted service stays in ListServices", "a deleted service leaves the cluster's list once drained", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    await createRollingService(b, { desiredCount: 0 });
    await b.clients.ecs.send(new DeleteServiceCommand({ cluster: "apps", service: "web" }));
    await b.sim?.control("POST", "clock", { advanceSeconds: 600 });
    const listed = await b.clients.ecs.send(new ListServicesCommand({ cluster: "apps" }));
    expect(listed.serviceArns).toEqual([]);
  });

  simOnly("moto differs: tasks never progress over time", "starts the desired tasks as simulated time passes and completes the rollout", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    await createRollingService(b);
    await b.sim?.control("POST", "clock", { advanceSeconds: 600 });
    const described = await describeWeb(b);
    expect(described?.runningCount).toBe(2);
    expect(described?.deployments?.find((d) => d.status === "PRIMARY")?.rolloutState).toBe("COMPLETED");
  });

  simOnly("moto differs: has no service-deployment APIs", "lists the service's deployments with ListServiceDeployments", async (b) => {
    await createCluster(b);
    await registerTaskDefinition(b);
    await registerTaskDefinition(b);
    const created = await createRollingService(b);
    await b.sim?.control("POST", "clock", { advanceSeconds: 600 });
    await b.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "web", taskDefinition: "web:2" }));
    const { serviceDeployments } = await b.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "apps", service: "web" }));
    expect(serviceDeployments?.length).toBeGreaterThanOrEqual(1);
    for (const deployment of serviceDeployments ?? []) expect(deployment.serviceArn).toBe(created?.serviceArn);
  });
});
