import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateServiceCommand,
  CreateTaskSetCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTaskSetsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateTaskSetCommand,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, eventMessages, network, registerWeb } from "./ecs-fixtures.js";

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

  it("shows the platform version a task set was created with, not LATEST", async () => {
    const created = await h.clients.ecs.send(
      new CreateTaskSetCommand({ cluster: "det", service: "ext", taskDefinition: v1, launchType: "FARGATE", platformVersion: "1.3.0", networkConfiguration: network }),
    );
    expect(created.taskSet).toMatchObject({ platformVersion: "1.3.0", platformFamily: "Linux" });
    const described = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "det", service: "ext", taskSets: [created.taskSet?.id ?? ""] }));
    expect(described.taskSets?.[0]).toMatchObject({ platformVersion: "1.3.0", platformFamily: "Linux" });
  });
});

describe("service revisions and deployments as AWS shows them", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "rev");
  });
  afterAll(() => h.close());

  async function latestDeployment(service: string) {
    const listed = await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "rev", service }));
    const arn = listed.serviceDeployments?.[0]?.serviceDeploymentArn ?? "";
    const described = await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    const deployment = described.serviceDeployments?.[0];
    if (!deployment) throw new Error("no service deployment");
    return deployment;
  }

  it("gives each container image the digest ECR holds for its tag when the revision was made", async () => {
    type Pushed = { imageDigest: string; imageUris: string[] };
    const pushed = (await h.control("POST", "ecr/push", { repository: "rev/web", tags: ["1.0.0"], create: true })) as Pushed;
    const image = pushed.imageUris[0] ?? "";
    const taskDefinition = await registerWeb(h, "rev-web", image, { container: { name: "web" } });
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "rev", serviceName: "web", taskDefinition, desiredCount: 1, launchType: "FARGATE", networkConfiguration: network }));
    const revisionArn = (await latestDeployment("web")).targetServiceRevision?.arn ?? "";
    // A later push to the same tag does not change what the revision resolved.
    await h.control("POST", "ecr/push", { repository: "rev/web", tags: ["1.0.0"] });
    const revision = (await h.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }))).serviceRevisions?.[0];
    expect(revision?.containerImages).toEqual([{ containerName: "web", image, imageDigest: pushed.imageDigest }]);
  });

  it("shows the deployment's alarms in its deploymentConfiguration and the alarms' check on the record", async () => {
    const taskDefinition = await registerWeb(h, "rev-alarmed", "rev/alarmed:1");
    const alarms = { alarmNames: ["web-5xx", "web-latency"], enable: true, rollback: true };
    await h.clients.ecs.send(
      new CreateServiceCommand({
        cluster: "rev",
        serviceName: "alarmed",
        taskDefinition,
        desiredCount: 1,
        launchType: "FARGATE",
        platformVersion: "1.4.0",
        networkConfiguration: network,
        deploymentConfiguration: { alarms },
      }),
    );
    const deployment = await latestDeployment("alarmed");
    expect(deployment.deploymentConfiguration?.alarms).toEqual(alarms);
    expect(deployment.alarms).toEqual({ status: "MONITORING", alarmNames: ["web-5xx", "web-latency"], triggeredAlarmNames: [] });
    const revision = (await h.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [deployment.targetServiceRevision?.arn ?? ""] }))).serviceRevisions?.[0];
    expect(revision).toMatchObject({ platformVersion: "1.4.0", platformFamily: "Linux" });
  });

  it("reports the alarms' check DISABLED, with no names, for a service without deployment alarms", async () => {
    const taskDefinition = await registerWeb(h, "rev-plain", "rev/plain:1");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "rev", serviceName: "plain", taskDefinition, desiredCount: 1, launchType: "FARGATE", networkConfiguration: network }));
    const deployment = await latestDeployment("plain");
    expect(deployment.deploymentConfiguration?.alarms).toBeUndefined();
    expect(deployment.alarms).toEqual({ status: "DISABLED" });
  });

  it("shows an image ECR does not hold without a digest", async () => {
    const taskDefinition = await registerWeb(h, "rev-hub", "public.example.com/nginx:1");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "rev", serviceName: "hub", taskDefinition, desiredCount: 1, launchType: "FARGATE", networkConfiguration: network }));
    const revisionArn = (await latestDeployment("hub")).targetServiceRevision?.arn ?? "";
    const revision = (await h.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }))).serviceRevisions?.[0];
    expect(revision?.containerImages).toEqual([{ containerName: "web", image: "public.example.com/nginx:1" }]);
  });
});

describe("task definitions' requiresAttributes", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  const names = async (request: ConstructorParameters<typeof RegisterTaskDefinitionCommand>[0]) =>
    ((await h.clients.ecs.send(new RegisterTaskDefinitionCommand(request))).taskDefinition?.requiresAttributes ?? []).map((a) => a.name).sort();

  it("derives the attributes from what the definition uses", async () => {
    const image = "000000000000.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.0.0";
    const full = await names({
      family: "attrs",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      executionRoleArn: "arn:aws:iam::000000000000:role/exec",
      taskRoleArn: "arn:aws:iam::000000000000:role/task",
      containerDefinitions: [
        {
          name: "web",
          image,
          logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/shop", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" } },
          secrets: [
            { name: "DB", valueFrom: "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf" },
            { name: "FLAG", valueFrom: "/shop/flag" },
          ],
          healthCheck: { command: ["CMD-SHELL", "true"] },
        },
      ],
    });
    expect(full).toEqual(
      [
        "com.amazonaws.ecs.capability.docker-remote-api.1.18",
        "com.amazonaws.ecs.capability.docker-remote-api.1.19",
        "com.amazonaws.ecs.capability.docker-remote-api.1.24",
        "com.amazonaws.ecs.capability.ecr-auth",
        "com.amazonaws.ecs.capability.logging-driver.awslogs",
        "com.amazonaws.ecs.capability.task-iam-role",
        "ecs.capability.container-health-check",
        "ecs.capability.execution-role-awslogs",
        "ecs.capability.execution-role-ecr-pull",
        "ecs.capability.secrets.asm.environment-variables",
        "ecs.capability.secrets.ssm.environment-variables",
        "ecs.capability.task-eni",
      ].sort(),
    );
  });

  it("asks for the baseline Docker API only of a plain bridge definition", async () => {
    const plain = await names({ family: "plain", containerDefinitions: [{ name: "app", image: "nginx:1", memory: 128 }] });
    expect(plain).toEqual(["com.amazonaws.ecs.capability.docker-remote-api.1.18"]);
  });
});

describe("service events of an EXTERNAL service's task sets", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "evt");
  });
  afterAll(() => h.close());

  it("records each set's started and stopped tasks, its steady state and the service's, in AWS's words", async () => {
    const taskDefinition = await registerWeb(h, "evt", "evt:1");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "evt", serviceName: "canary", desiredCount: 2, deploymentController: { type: "EXTERNAL" } }));
    const created = await h.clients.ecs.send(
      new CreateTaskSetCommand({ cluster: "evt", service: "canary", taskDefinition, launchType: "FARGATE", networkConfiguration: network, scale: { unit: "PERCENT", value: 100 } }),
    );
    const id = created.taskSet?.id ?? "";
    await advance(h, 90);
    let messages = eventMessages(await describeService(h, "evt", "canary"));
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^\\(service canary, taskSet ${id.replace("/", "\\/")}\\) has started 2 tasks: \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\.$`)));
    expect(messages).toContain(`(service canary, taskSet ${id}) has reached a steady state.`);
    expect(messages[0]).toBe("(service canary) has reached a steady state.");

    await h.clients.ecs.send(new UpdateTaskSetCommand({ cluster: "evt", service: "canary", taskSet: id, scale: { unit: "PERCENT", value: 50 } }));
    await advance(h, 90);
    messages = eventMessages(await describeService(h, "evt", "canary"));
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^\\(service canary, taskSet ${id.replace("/", "\\/")}\\) has stopped 1 running tasks: \\(task [0-9a-f]{32}\\)\\.$`)));
  });
});
