import { CreateClusterCommand, RegisterTaskDefinitionCommand, type TaskDefinition } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Backend } from "../support/backends.js";

/** Small worlds the scenarios start from, made through the same API calls on both backends. */

export async function createCluster(b: Backend, name = "apps"): Promise<string> {
  const { cluster } = await b.clients.ecs.send(new CreateClusterCommand({ clusterName: name }));
  if (!cluster?.clusterArn) throw new Error("CreateCluster returned no cluster ARN");
  return cluster.clusterArn;
}

/**
 * A one-container Fargate task definition; each call registers the family's next revision. The container states
 * its own memory although Fargate only needs the task's: moto's task placement crashes (HTTP 500) without it.
 */
export async function registerTaskDefinition(b: Backend, family = "web", image = "registry.example/web:1.0.0"): Promise<TaskDefinition> {
  const { taskDefinition } = await b.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "app", image, essential: true, memory: 512, portMappings: [{ containerPort: 8080, protocol: "tcp" }] }],
    }),
  );
  if (!taskDefinition?.taskDefinitionArn) throw new Error("RegisterTaskDefinition returned no task definition ARN");
  return taskDefinition;
}

export interface WeightedAlb {
  loadBalancerArn: string;
  blueArn: string;
  greenArn: string;
  listenerArn: string;
}

/** An internet-facing ALB with blue and green IP target groups and a port-80 listener sending 100/0 to them. */
export async function createWeightedAlb(b: Backend): Promise<WeightedAlb> {
  const { vpcId, subnets, securityGroups } = await b.network();
  const lb = await b.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "web", Subnets: subnets, SecurityGroups: securityGroups, Type: "application", Scheme: "internet-facing" }));
  const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
  const targetGroup = async (name: string) => {
    const out = await b.clients.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: vpcId, TargetType: "ip", HealthCheckPath: "/health" }));
    return out.TargetGroups?.[0]?.TargetGroupArn;
  };
  const blueArn = await targetGroup("web-blue");
  const greenArn = await targetGroup("web-green");
  if (!loadBalancerArn || !blueArn || !greenArn) throw new Error("CreateLoadBalancer/CreateTargetGroup returned no ARN");
  const listener = await b.clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: "HTTP",
      Port: 80,
      DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: blueArn, Weight: 100 }, { TargetGroupArn: greenArn, Weight: 0 }] } }],
    }),
  );
  const listenerArn = listener.Listeners?.[0]?.ListenerArn;
  if (!listenerArn) throw new Error("CreateListener returned no ARN");
  return { loadBalancerArn, blueArn, greenArn, listenerArn };
}
