import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { failure, forwardTo } from "./elbv2-world.js";

/** A load balancer's VpcId comes from its subnets (issue 19): declared subnets belong to their VPC. */
describe("ELBv2 load balancers in VPCs", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
    await h.control("PUT", "elbv2/subnets", { vpcId: "vpc-0aaa", subnets: ["subnet-a1", "subnet-a2"] });
    await h.control("PUT", "elbv2/subnets", { vpcId: "vpc-0bbb", subnets: ["subnet-b1"] });
  });
  afterAll(() => h.close());

  const group = async (name: string, vpcId: string) =>
    (await h.clients.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: vpcId, TargetType: "ip" }))).TargetGroups?.[0]?.TargetGroupArn ?? "";

  it("takes the VPC of declared subnets, and the simulated VPC for any other", async () => {
    const declared = await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "in-a", Subnets: ["subnet-a1", "subnet-a2"] }));
    expect(declared.LoadBalancers?.[0]?.VpcId).toBe("vpc-0aaa");
    const other = await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "elsewhere", Subnets: ["subnet-x", "subnet-y"] }));
    expect(other.LoadBalancers?.[0]?.VpcId).toBe("vpc-0f5e1a7c0de5a1b00");
    const mixed = await failure(h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "mixed", Subnets: ["subnet-a1", "subnet-b1"] })));
    expect(mixed.name).toBe("InvalidConfigurationRequestException");
  });

  it("refuses a listener forwarding to a target group of another VPC, in AWS's words", async () => {
    const lb = (await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "in-a", Subnets: ["subnet-a1", "subnet-a2"] }))).LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const foreign = await group("in-b", "vpc-0bbb");
    const refused = await failure(h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([foreign, 1]) })));
    expect(refused.name).toBe("InvalidConfigurationRequestException");
    expect(refused.message).toBe(`Target group '${foreign}' is in a different VPC than load balancer '${lb}'`);
    const own = await group("in-a", "vpc-0aaa");
    const listener = await h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([own, 1]) }));
    expect(listener.Listeners?.[0]?.ListenerArn).toBeDefined();
  });

  it("checks no VPC for a load balancer on undeclared subnets (worlds that never declare subnets are unchanged)", async () => {
    const lb = (await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "elsewhere", Subnets: ["subnet-x", "subnet-y"] }))).LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const anyVpc = await group("any-vpc", "vpc-1");
    const listener = await h.clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([anyVpc, 1]) }));
    expect(listener.Listeners?.[0]?.ListenerArn).toBeDefined();
  });
});
