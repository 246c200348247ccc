import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateServiceCommand,
  CreateTaskSetCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTaskSetsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ServiceConnectConfiguration,
} from "@aws-sdk/client-ecs";
import { startSim, type SimHarness } from "../support/sim.js";
import { advance, createCluster, describeService, loadBalancedGroups, network, registerWeb } from "./ecs-fixtures.js";

/**
 * The whole service definition slipway sends: Service Connect, EBS volumes, VPC Lattice and service registries
 * travel with the deployment; alarms, AZ rebalancing and the role sit on the service.
 */

const fails = (p: Promise<unknown>) => p.then(() => new Error("expected a refusal"), (e: Error) => e);
const connect: ServiceConnectConfiguration = {
  enabled: true,
  namespace: "shop.local",
  services: [{ portName: "http", discoveryName: "web", clientAliases: [{ port: 80, dnsName: "web.shop" }], timeout: { idleTimeoutSeconds: 60 } }],
};
const ebs = { roleArn: "arn:aws:iam::123456789012:role/ecs-infra", sizeInGiB: 20, volumeType: "gp3", throughput: 250, encrypted: true, filesystemType: "xfs" as const };
const lattice = [{ roleArn: "arn:aws:iam::123456789012:role/ecs-infra", targetGroupArn: "arn:aws:vpc-lattice:eu-west-1:123456789012:targetgroup/tg-0123456789abcdef0", portName: "http" }];
const registry = { registryArn: "arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-0123456789abcdef" };

describe("ECS service definitions: the fields beyond task definition and placement", () => {
  let h: SimHarness;
  const base = { cluster: "apps", taskDefinition: "web:1", desiredCount: 1, launchType: "FARGATE" as const, networkConfiguration: network };
  const create = (input: Partial<CreateServiceCommandInput> & { serviceName: string }) => h.clients.ecs.send(new CreateServiceCommand({ ...base, ...input }));

  beforeAll(async () => {
    h = await startSim();
    await createCluster(h, "apps");
    // web:1 and web:2 name their port "http"; web:2 also has a volume configured at launch.
    await registerWeb(h, "web", "web:1.0.0", { container: { portMappings: [{ containerPort: 8080, name: "http" }] } });
    await h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "web",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        volumes: [{ name: "data", configuredAtLaunch: true }],
        containerDefinitions: [{ name: "web", image: "web:2.0.0", portMappings: [{ containerPort: 8080, name: "http" }], mountPoints: [{ sourceVolume: "data", containerPath: "/data" }] }],
      }),
    );
  });
  afterAll(() => h.close());

  it("keeps Service Connect, volumes and VPC Lattice on the deployment and revision, registries on the service", async () => {
    const created = await create({
      serviceName: "full",
      taskDefinition: "web:2",
      serviceConnectConfiguration: connect,
      volumeConfigurations: [{ name: "data", managedEBSVolume: ebs }],
      vpcLatticeConfigurations: lattice,
      serviceRegistries: [registry],
    });
    expect(created.service).toMatchObject({ pendingCount: 0, runningCount: 0, serviceRegistries: [registry] });
    expect(created.service).not.toHaveProperty("serviceConnectConfiguration");
    const deployment = created.service?.deployments?.[0];
    expect(deployment).toMatchObject({ serviceConnectConfiguration: connect, volumeConfigurations: [{ name: "data", managedEBSVolume: ebs }], vpcLatticeConfigurations: lattice });

    const described = await describeService(h, "apps", "full");
    expect(described.deployments?.[0]?.serviceConnectConfiguration).toEqual(connect);
    const { serviceDeployments } = await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [described.currentServiceDeployment ?? ""] }));
    const revisionArn = serviceDeployments?.[0]?.targetServiceRevision?.arn ?? "";
    const { serviceRevisions } = await h.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }));
    expect(serviceRevisions?.[0]).toMatchObject({ serviceConnectConfiguration: connect, volumeConfigurations: [{ name: "data" }], vpcLatticeConfigurations: lattice, serviceRegistries: [registry] });
  });

  it("starts a new deployment when Service Connect, volumes, VPC Lattice or registries change, and not when left out", async () => {
    await advance(h, 120);
    const update = async (input: Record<string, unknown>) => (await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "full", ...input }))).service;
    let service = await update({ desiredCount: 2 });
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]?.serviceConnectConfiguration).toEqual(connect);

    const renamed = { ...connect, services: [{ portName: "http", discoveryName: "web2", clientAliases: [{ port: 80 }] }] };
    service = await update({ serviceConnectConfiguration: renamed });
    expect(service?.deployments?.map((d) => d.status)).toEqual(["PRIMARY", "ACTIVE"]);
    expect(service?.deployments?.[0]?.serviceConnectConfiguration).toEqual(renamed);
    // What was not given is carried over to the new deployment.
    expect(service?.deployments?.[0]).toMatchObject({ vpcLatticeConfigurations: lattice, volumeConfigurations: [{ name: "data" }] });

    service = await update({ serviceRegistries: [] });
    expect(service?.deployments).toHaveLength(3);
    expect(service?.serviceRegistries).toEqual([]);
    service = await update({ volumeConfigurations: [{ name: "data", managedEBSVolume: { ...ebs, sizeInGiB: 40 } }] });
    expect(service?.deployments).toHaveLength(4);
    service = await update({ vpcLatticeConfigurations: [] });
    expect(service?.deployments).toHaveLength(5);
    expect(service?.deployments?.[0]).not.toHaveProperty("vpcLatticeConfigurations");
  });

  it("refuses a Service Connect or VPC Lattice port name the task definition does not have", async () => {
    const badConnect = await fails(create({ serviceName: "bad-sc", serviceConnectConfiguration: { ...connect, services: [{ portName: "grpc" }] } }));
    expect(badConnect).toMatchObject({ name: "InvalidParameterException" });
    expect(badConnect.message).toContain("grpc");
    const badLattice = await fails(create({ serviceName: "bad-vl", vpcLatticeConfigurations: [{ ...lattice[0], portName: "grpc" } as (typeof lattice)[0]] }));
    expect(badLattice).toMatchObject({ name: "InvalidParameterException" });
  });

  it("refuses a volume configuration for a volume not configured at launch, with AWS's message", async () => {
    const refused = await fails(create({ serviceName: "bad-vol", volumeConfigurations: [{ name: "data", managedEBSVolume: ebs }] }));
    expect(refused).toMatchObject({ name: "InvalidParameterException", message: "Volume configuration provided but no matching configuredAtLaunch volume found in task definition." });
    const noSize = await fails(create({ serviceName: "bad-vol", taskDefinition: "web:2", volumeConfigurations: [{ name: "data", managedEBSVolume: { roleArn: ebs.roleArn } }] }));
    expect(noSize).toMatchObject({ name: "InvalidParameterException" });
  });

  it("watches deployment alarms: on the service's deploymentConfiguration and in DescribeServiceDeployments", async () => {
    const alarms = { alarmNames: ["web-5xx"], enable: true, rollback: true };
    const created = await create({ serviceName: "alarmed", deploymentConfiguration: { alarms } });
    expect(created.service?.deploymentConfiguration?.alarms).toEqual(alarms);
    const arn = created.service?.currentServiceDeployment ?? "";
    const describe = async () => (await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments?.[0];
    expect((await describe())?.alarms).toEqual({ status: "MONITORING", alarmNames: ["web-5xx"], triggeredAlarmNames: [] });
    await advance(h, 120);
    expect(await describe()).toMatchObject({ status: "SUCCESSFUL", alarms: { status: "MONITORING_COMPLETE" } });

    const plain = await create({ serviceName: "unalarmed" });
    const { serviceDeployments } = await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [plain.service?.currentServiceDeployment ?? ""] }));
    expect(serviceDeployments?.[0]?.alarms).toEqual({ status: "DISABLED" });
    expect(plain.service?.deploymentConfiguration).not.toHaveProperty("alarms");
  });

  it("enables Availability Zone rebalancing by default, not under binpack, and updates it without a deployment", async () => {
    const created = await create({ serviceName: "balanced" });
    expect(created.service?.availabilityZoneRebalancing).toBe("ENABLED");
    const packed = await create({ serviceName: "packed", launchType: "EC2", placementStrategy: [{ type: "binpack", field: "memory" }] });
    expect(packed.service?.availabilityZoneRebalancing).toBe("DISABLED");
    const updated = await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "balanced", availabilityZoneRebalancing: "DISABLED" }));
    expect(updated.service).toMatchObject({ availabilityZoneRebalancing: "DISABLED" });
    expect(updated.service?.deployments).toHaveLength(1);
    const kept = await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "balanced", enableExecuteCommand: true, propagateTags: "SERVICE", enableECSManagedTags: true }));
    expect(kept.service).toMatchObject({ availabilityZoneRebalancing: "DISABLED", enableExecuteCommand: true, propagateTags: "SERVICE", enableECSManagedTags: true });
  });

  it("requires desiredCount for REPLICA services and refuses it for DAEMON ones, which cannot run on Fargate", async () => {
    const { desiredCount: _omitted, ...withoutCount } = base;
    const missing = await fails(h.clients.ecs.send(new CreateServiceCommand({ ...withoutCount, serviceName: "countless" })));
    expect(missing).toMatchObject({ name: "InvalidParameterException" });
    const daemonCount = await fails(create({ serviceName: "daemon", schedulingStrategy: "DAEMON", launchType: "EC2" }));
    expect(daemonCount).toMatchObject({
      name: "InvalidParameterException",
      message: "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again",
    });
    const onFargate = await fails(h.clients.ecs.send(new CreateServiceCommand({ ...withoutCount, serviceName: "daemon", schedulingStrategy: "DAEMON" })));
    expect(onFargate).toMatchObject({ name: "InvalidParameterException" });
    const daemon = await h.clients.ecs.send(new CreateServiceCommand({ ...withoutCount, serviceName: "daemon", schedulingStrategy: "DAEMON", launchType: "EC2" }));
    expect(daemon.service).toMatchObject({
      schedulingStrategy: "DAEMON",
      desiredCount: 0,
      availabilityZoneRebalancing: "DISABLED",
      deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 },
    });
    const above = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "daemon", deploymentConfiguration: { maximumPercent: 200 } })));
    expect(above).toMatchObject({ name: "InvalidParameterException", message: "The daemon scheduling strategy does not support values above 100 for maximumPercent" });
    const rescaled = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "daemon", desiredCount: 2 })));
    expect(rescaled).toMatchObject({ name: "InvalidParameterException", message: expect.stringMatching(/^The daemon scheduling strategy does not support a desired count/) as unknown });
  });

  it("returns roleArn for a role given with a load balancer, and refuses a role where the service-linked role is needed", async () => {
    const [group] = await loadBalancedGroups(h, "legacy", 1);
    await h.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "legacy",
        networkMode: "bridge",
        containerDefinitions: [{ name: "web", image: "legacy:1", memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
      }),
    );
    const loadBalancers = [{ targetGroupArn: group, containerName: "web", containerPort: 8080 }];
    const created = await h.clients.ecs.send(
      new CreateServiceCommand({ cluster: "apps", serviceName: "legacy", taskDefinition: "legacy:1", desiredCount: 1, launchType: "EC2", role: "/service/ecsServiceRole", loadBalancers }),
    );
    expect(created.service?.roleArn).toMatch(/^arn:aws:iam::\d{12}:role\/service\/ecsServiceRole$/);
    expect((await describeService(h, "apps", "legacy")).roleArn).toBe(created.service?.roleArn);
    const awsvpc = await fails(create({ serviceName: "roled", role: "ecsServiceRole", loadBalancers }));
    expect(awsvpc).toMatchObject({ name: "InvalidParameterException", message: "You cannot specify an IAM role for services that require a service linked role." });
  });

  it("takes service registries on EXTERNAL task sets and refuses service-level-only updates on EXTERNAL services", async () => {
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "apps", serviceName: "ext", desiredCount: 1, deploymentController: { type: "EXTERNAL" } }));
    const { taskSet } = await h.clients.ecs.send(
      new CreateTaskSetCommand({ cluster: "apps", service: "ext", taskDefinition: "web:1", launchType: "FARGATE", networkConfiguration: network, serviceRegistries: [registry] }),
    );
    expect(taskSet?.serviceRegistries).toEqual([registry]);
    const described = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "apps", service: "ext" }));
    expect(described.taskSets?.[0]?.serviceRegistries).toEqual([registry]);
    expect((await describeService(h, "apps", "ext")).serviceRegistries).toEqual([]);

    const rebalancing = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "ext", availabilityZoneRebalancing: "DISABLED" })));
    expect(rebalancing).toMatchObject({ name: "InvalidParameterException" });
    const alarms = await fails(h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "ext", deploymentConfiguration: { alarms: { alarmNames: ["a"], enable: true, rollback: false } } })));
    expect(alarms).toMatchObject({ name: "InvalidParameterException" });
    const ok = await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "apps", service: "ext", desiredCount: 2, propagateTags: "SERVICE", enableECSManagedTags: true }));
    expect(ok.service).toMatchObject({ desiredCount: 2, propagateTags: "SERVICE", enableECSManagedTags: true });
  });
});
