import {
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";

/** Shared steps for the ECS scheduler scenarios: a world built through the SDK, and simulated time moved on. */

export const network = { awsvpcConfiguration: { subnets: ["subnet-aaa", "subnet-bbb"], securityGroups: ["sg-ccc"], assignPublicIp: "DISABLED" as const } };

export async function advance(h: SimHarness, seconds: number): Promise<void> {
  await h.control("POST", "clock", { advanceSeconds: seconds });
}

export async function imageBehaves(h: SimHarness, image: string, behaviour: "healthy" | "crash" | "unhealthy"): Promise<void> {
  await h.control("PUT", "faults/images", { image, behaviour });
}

export async function createCluster(h: SimHarness, name: string): Promise<string> {
  const out = await h.clients.ecs.send(new CreateClusterCommand({ clusterName: name }));
  return out.cluster?.clusterArn ?? "";
}

/** The service scenarios' simulator at speed 200: cluster shop-dev with shop-web:1, :2, … registered, one per image version given. */
export async function shopDevSim(versions: readonly string[] = ["1.0.0", "2.0.0"]): Promise<SimHarness> {
  const h = await startSim({ speed: 200 });
  await createCluster(h, "shop-dev");
  for (const version of versions) await registerWeb(h, "shop-web", `shop/web:${version}`);
  return h;
}

/** What registerWeb adds to its task definition: an execution role, and more settings for the "web" container. */
export interface WebExtras {
  executionRoleArn?: string;
  container?: Partial<ContainerDefinition>;
}

/** A Fargate task definition with one container "web" listening on 8080. */
export async function registerWeb(h: SimHarness, family: string, image: string, extras: WebExtras = {}): Promise<string> {
  const out = await h.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      ...(extras.executionRoleArn !== undefined && { executionRoleArn: extras.executionRoleArn }),
      containerDefinitions: [{ name: "web", image, essential: true, portMappings: [{ containerPort: 8080, protocol: "tcp" }], ...extras.container }],
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? "";
}

export async function describeService(h: SimHarness, cluster: string, service: string): Promise<Service> {
  const out = await h.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = out.services?.[0];
  if (!found) throw new Error(`service ${service} not found: ${JSON.stringify(out.failures)}`);
  return found;
}

export async function serviceTasks(h: SimHarness, cluster: string, serviceName: string, desiredStatus: "RUNNING" | "STOPPED" = "RUNNING"): Promise<Task[]> {
  const list = await h.clients.ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus }));
  if (!list.taskArns?.length) return [];
  const out = await h.clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: list.taskArns }));
  return out.tasks ?? [];
}

export const eventMessages = (service: Service) => (service.events ?? []).map((e) => e.message ?? "");

/**
 * An ALB with an HTTP listener forwarding to `groups` target groups (ip targets, port 8080). The first group
 * takes the listener's traffic; the others are attached through weights so every group has a load balancer.
 * Deregistration delay is shortened so stopping tasks do not drain for the default five minutes.
 */
export async function loadBalancedGroups(h: SimHarness, name: string, count: number): Promise<string[]> {
  const lb = await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-alb`, Subnets: ["subnet-aaa", "subnet-bbb"], Type: "application" }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
  const groups: string[] = [];
  for (let i = 0; i < count; i++) {
    const tg = await h.clients.elbv2.send(
      new CreateTargetGroupCommand({ Name: `${name}-tg${i}`, Protocol: "HTTP", Port: 8080, VpcId: lb.LoadBalancers?.[0]?.VpcId ?? "vpc-1", TargetType: "ip", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 }),
    );
    const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }] }));
    groups.push(arn);
  }
  await h.clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: groups.map((g, i) => ({ TargetGroupArn: g, Weight: i === 0 ? 100 : 0 })) } }],
    }),
  );
  return groups;
}

export async function targetStates(h: SimHarness, targetGroupArn: string): Promise<string[]> {
  const out = await h.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return (out.TargetHealthDescriptions ?? []).map((t) => t.TargetHealth?.State ?? "");
}
