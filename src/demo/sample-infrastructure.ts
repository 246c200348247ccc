import { CreateClusterCommand } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients } from "../aws/clients.js";

/**
 * The shop the demo deploys, made in the simulator through the same AWS APIs a platform team would use (plus the
 * simulator's stand-in for `docker push`): per environment a cluster, an ALB with an HTTP listener on port 80 and
 * a blue/green target group pair; one ECR repository with several tagged images, one of which fails its health check.
 * Names match examples/targets.yaml.
 */
export interface SampleInfrastructure {
  environments: { name: string; cluster: string; loadBalancer: string; listenerArn: string; primary: string; canary: string }[];
  repository: string;
  tags: string[];
  /** The image tag whose tasks never pass the load balancer's health check. */
  unhealthyTag: string;
}

export const sampleEnvironments = ["dev", "test", "prod"] as const;
export const sampleRepository = "shop/web";
export const sampleTags = ["1.0.0", "1.1.0", "1.2.0", "1.3.0"];
export const sampleUnhealthyTag = "1.3.0";

async function control(endpoint: string, region: string, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${endpoint}/_sim/${path}?region=${region}`, { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const answer: unknown = await res.json();
  if (!res.ok) throw new Error(`the simulator refused ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

export async function createSampleInfrastructure(endpoint: string, region = "us-east-1", project = "shop"): Promise<SampleInfrastructure> {
  const clients = createAwsClients({ region, endpoint });
  try {
    const environments: SampleInfrastructure["environments"] = [];
    for (const env of sampleEnvironments) {
      const name = `${project}-${env}`;
      await clients.ecs.send(new CreateClusterCommand({ clusterName: name }));
      const lb = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: ["subnet-demo-a", "subnet-demo-b"], SecurityGroups: ["sg-demo"] }));
      const group = async (colour: string) => {
        const out = await clients.elbv2.send(new CreateTargetGroupCommand({ Name: `${name}-${colour}`, Protocol: "HTTP", Port: 8080, VpcId: "vpc-demo", TargetType: "ip", HealthCheckPath: "/health" }));
        const arn = out.TargetGroups?.[0]?.TargetGroupArn ?? "";
        // Old tasks drain in seconds rather than AWS's default five minutes: the demo is short.
        await clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }] }));
        return arn;
      };
      const primary = await group("blue");
      const canary = await group("green");
      const listener = await clients.elbv2.send(
        new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "", Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: primary, Weight: 100 }, { TargetGroupArn: canary, Weight: 0 }] } }] }),
      );
      environments.push({ name: env, cluster: name, loadBalancer: name, listenerArn: listener.Listeners?.[0]?.ListenerArn ?? "", primary, canary });
    }
    for (const [i, tag] of sampleTags.entries()) await control(endpoint, region, "POST", "ecr/push", { repository: sampleRepository, tags: [tag], create: i === 0 });
    await control(endpoint, region, "PUT", "faults/images", { image: `${sampleRepository}:${sampleUnhealthyTag}`, behaviour: "unhealthy" });
    return { environments, repository: sampleRepository, tags: sampleTags, unhealthyTag: sampleUnhealthyTag };
  } finally {
    clients.destroy();
  }
}
