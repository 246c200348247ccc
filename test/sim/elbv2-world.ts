import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  type Action,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { SimHarness } from "../support/sim.js";

/** Small builders for the ELBv2 tests: an ALB, HTTP target groups for ip targets, and a listener. */
export async function createAlb(h: SimHarness, name: string): Promise<string> {
  const out = await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: ["subnet-a", "subnet-b"], SecurityGroups: ["sg-1"] }));
  return out.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
}

export async function createTargetGroup(h: SimHarness, name: string): Promise<string> {
  const out = await h.clients.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", TargetType: "ip" }));
  return out.TargetGroups?.[0]?.TargetGroupArn ?? "";
}

export const forwardTo = (...groups: [arn: string, weight: number][]): Action[] => [
  { Type: "forward", ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];

export async function createListener(h: SimHarness, loadBalancerArn: string, port: number, actions: Action[]): Promise<string> {
  const out = await h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: "HTTP", Port: port, DefaultActions: actions }));
  return out.Listeners?.[0]?.ListenerArn ?? "";
}

/** The error an SDK call failed with, so a test can assert its name and message. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}
