import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsErrorName, callAws } from "../aws/call.js";
import { simulatedVpc, type WantedLoadBalancer, type WantedTargetGroupSettings } from "./wanted.js";

/** The load balancer pieces an environment's target names, as ARNs, whether this run made them or found them. */
export interface BuiltLoadBalancer {
  name: string;
  listenerArn: string;
  primary: string;
  canary: string;
}

const notFound = (error: unknown) => /NotFound/.test(awsErrorName(error) ?? "");

async function existingLoadBalancer(elbv2: ElasticLoadBalancingV2Client, name: string): Promise<string | undefined> {
  try {
    const out = await callAws("DescribeLoadBalancers", name, () => elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] })));
    return out.LoadBalancers?.[0]?.LoadBalancerArn;
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

async function existingTargetGroup(elbv2: ElasticLoadBalancingV2Client, name: string): Promise<string | undefined> {
  try {
    const out = await callAws("DescribeTargetGroups", name, () => elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] })));
    return out.TargetGroups?.[0]?.TargetGroupArn;
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

async function ensureTargetGroup(elbv2: ElasticLoadBalancingV2Client, name: string, settings: WantedTargetGroupSettings, created: string[]): Promise<string> {
  const found = await existingTargetGroup(elbv2, name);
  if (found) return found;
  const out = await callAws("CreateTargetGroup", name, () =>
    elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: settings.port, VpcId: simulatedVpc, TargetType: settings.targetType, ...(settings.healthCheckPath && { HealthCheckPath: settings.healthCheckPath }) })),
  );
  const arn = out.TargetGroups?.[0]?.TargetGroupArn ?? "";
  if (settings.deregistrationDelaySeconds !== undefined) {
    const value = String(settings.deregistrationDelaySeconds);
    await callAws("ModifyTargetGroupAttributes", name, () => elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: value }] })));
  }
  created.push(`target group ${name} (HTTP:${settings.port}, ${settings.targetType})`);
  return arn;
}

/**
 * The ALB, its target groups and its HTTP listener, each created only when missing. A listener found on the port is
 * left as it is, whatever it forwards to: it is someone's, and the service step says when it does not suit.
 */
export async function ensureLoadBalancer(elbv2: ElasticLoadBalancingV2Client, wanted: WantedLoadBalancer, created: string[]): Promise<BuiltLoadBalancer> {
  let lbArn = await existingLoadBalancer(elbv2, wanted.name);
  if (!lbArn) {
    const out = await callAws("CreateLoadBalancer", wanted.name, () =>
      elbv2.send(new CreateLoadBalancerCommand({ Name: wanted.name, Type: "application", ...(wanted.subnets && { Subnets: wanted.subnets }), ...(wanted.securityGroups && { SecurityGroups: wanted.securityGroups }) })),
    );
    lbArn = out.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    created.push(`load balancer ${wanted.name}`);
  }
  const primary = await ensureTargetGroup(elbv2, wanted.targetGroups.primary, wanted.targetGroup, created);
  const canary = await ensureTargetGroup(elbv2, wanted.targetGroups.canary, wanted.targetGroup, created);
  for (const extra of wanted.extraTargetGroups) await ensureTargetGroup(elbv2, extra, wanted.targetGroup, created);
  const loadBalancerArn = lbArn;
  const listeners = await callAws("DescribeListeners", wanted.name, () => elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })));
  let listenerArn = listeners.Listeners?.find((l) => l.Port === wanted.listenerPort)?.ListenerArn;
  if (!listenerArn) {
    // What the service step expects (steps/service/task-sets/gather.ts): a forward to the target's two groups,
    // the live one at 100 and the other at 0, whose weights a canary or blue/green deployment then moves.
    const out = await callAws("CreateListener", `${wanted.name}:${wanted.listenerPort}`, () =>
      elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: loadBalancerArn,
          Protocol: "HTTP",
          Port: wanted.listenerPort,
          DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: primary, Weight: 100 }, { TargetGroupArn: canary, Weight: 0 }] } }],
        }),
      ),
    );
    listenerArn = out.Listeners?.[0]?.ListenerArn ?? "";
    created.push(`listener HTTP:${wanted.listenerPort} on ${wanted.name}, forwarding to ${wanted.targetGroups.primary} (weight 100) and ${wanted.targetGroups.canary} (weight 0)`);
  }
  return { name: wanted.name, listenerArn, primary, canary };
}
