import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddTagsCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RemoveTagsCommand,
  CreateLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { createAlb, createListener, createTargetGroup, failure, forwardTo } from "./elbv2-world.js";

describe("ELBv2 load balancers, target groups and listeners", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  it("creates an application load balancer with AWS's ARN, DNS name and state", async () => {
    // Frozen while the state is read, so only the clock moves below decide it, however busy the machine.
    h.sim.clock.setSpeed(0);
    const out = await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "web", Subnets: ["subnet-a", "subnet-b"], Tags: [{ Key: "team", Value: "core" }] }));
    const lb = out.LoadBalancers?.[0];
    expect(lb?.LoadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/web\/[0-9a-f]{16}$/);
    expect(lb).toMatchObject({ LoadBalancerName: "web", Scheme: "internet-facing", Type: "application", State: { Code: "provisioning" }, IpAddressType: "ipv4", CanonicalHostedZoneId: "Z35SXDOTRQ7X7K" });
    // It turns active some simulated seconds later (LOAD_BALANCER_PROVISIONING_SECONDS).
    await h.control("POST", "clock", { advanceSeconds: 29 });
    const still = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["web"] }));
    expect(still.LoadBalancers?.[0]?.State).toEqual({ Code: "provisioning" });
    await h.control("POST", "clock", { advanceSeconds: 1 });
    const active = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["web"] }));
    expect(active.LoadBalancers?.[0]?.State).toEqual({ Code: "active" });
    h.sim.clock.setSpeed(1);
    expect(lb?.DNSName).toMatch(/^web-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb?.CreatedTime).toBeInstanceOf(Date);
    expect(lb?.AvailabilityZones?.map((z) => z.SubnetId)).toEqual(["subnet-a", "subnet-b"]);

    const again = await h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "web", Subnets: ["subnet-a", "subnet-b"] }));
    expect(again.LoadBalancers?.[0]?.LoadBalancerArn).toBe(lb?.LoadBalancerArn);
    const clash = await failure(h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "web", Scheme: "internal" })));
    expect(clash.name).toBe("DuplicateLoadBalancerNameException");
    const badName = await failure(h.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "-web" })));
    expect(badName.name).toBe("ValidationError");
  });

  it("describes load balancers by name and pages through them", async () => {
    await createAlb(h, "page-1");
    await createAlb(h, "page-2");
    const byName = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["page-2"] }));
    expect(byName.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(["page-2"]);
    const first = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
    expect(first.LoadBalancers).toHaveLength(2);
    expect(first.NextMarker).toBeTruthy();
    const second = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: first.NextMarker }));
    expect(second.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(["page-2"]);
    expect(second.NextMarker).toBeUndefined();
    const missing = await failure(h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["nope"] })));
    expect(missing.name).toBe("LoadBalancerNotFoundException");
    expect(missing.message).toBe("Load balancers '[nope]' not found");
  });

  it("gives target groups AWS's health check defaults and refuses a same-named group with other settings", async () => {
    const out = await h.clients.elbv2.send(new CreateTargetGroupCommand({ Name: "blue", Protocol: "HTTP", Port: 80, VpcId: "vpc-1", TargetType: "ip" }));
    expect(out.TargetGroups?.[0]).toMatchObject({
      TargetGroupName: "blue",
      TargetType: "ip",
      HealthCheckProtocol: "HTTP",
      HealthCheckPort: "traffic-port",
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      HealthCheckPath: "/",
      Matcher: { HttpCode: "200" },
      LoadBalancerArns: [],
    });
    expect(out.TargetGroups?.[0]?.TargetGroupArn).toMatch(/:targetgroup\/blue\/[0-9a-f]{16}$/);
    const clash = await failure(h.clients.elbv2.send(new CreateTargetGroupCommand({ Name: "blue", Protocol: "HTTP", Port: 81, VpcId: "vpc-1", TargetType: "ip" })));
    expect(clash.name).toBe("DuplicateTargetGroupNameException");

    const arn = out.TargetGroups?.[0]?.TargetGroupArn ?? "";
    const modified = await h.clients.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckPath: "/health", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 }));
    expect(modified.TargetGroups?.[0]).toMatchObject({ HealthCheckPath: "/health", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 });
    const tooSlow = await failure(h.clients.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckTimeoutSeconds: 10 })));
    expect(tooSlow.name).toBe("InvalidConfigurationRequestException");

    const attributes = await h.clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(attributes.Attributes).toContainEqual({ Key: "deregistration_delay.timeout_seconds", Value: "300" });
    await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }] }));
    const after = await h.clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(after.Attributes).toContainEqual({ Key: "deregistration_delay.timeout_seconds", Value: "30" });
  });

  it("links target groups to the load balancer that forwards to them, and refuses to delete one in use", async () => {
    const lb = await createAlb(h, "linked");
    const main = await createTargetGroup(h, "linked-main");
    const canary = await createTargetGroup(h, "linked-canary");
    const listener = await createListener(h, lb, 80, forwardTo([main, 1]));
    await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listener, Priority: 5, Conditions: [{ Field: "path-pattern", Values: ["/api/*"] }], Actions: forwardTo([canary, 1]) }));

    const groups = await h.clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb }));
    expect(groups.TargetGroups?.map((g) => g.TargetGroupName).sort()).toEqual(["linked-canary", "linked-main"]);
    expect(groups.TargetGroups?.every((g) => g.LoadBalancerArns?.[0] === lb)).toBe(true);
    expect(h.sim.elbv2.targetGroup(h.region, main)).toEqual({ arn: main, port: 8080, loadBalancerArns: [lb] });

    const inUse = await failure(h.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: canary })));
    expect(inUse.name).toBe("ResourceInUseException");
    expect(inUse.message).toContain(canary);

    const listeners = await h.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb }));
    expect(listeners.Listeners?.[0]).toMatchObject({ ListenerArn: listener, Port: 80, Protocol: "HTTP" });

    await h.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: listener }));
    const gone = await failure(h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener })));
    expect(gone.name).toBe("ListenerNotFoundException");
    await h.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: canary }));
    const missing = await failure(h.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [canary] })));
    expect(missing.name).toBe("TargetGroupNotFoundException");
  });

  it("refuses a second listener on the same port and deletes listeners with their load balancer", async () => {
    const lb = await createAlb(h, "ports");
    const group = await createTargetGroup(h, "ports-main");
    const other = await createTargetGroup(h, "ports-other");
    const listener = await createListener(h, lb, 80, forwardTo([group, 1]));
    expect(await createListener(h, lb, 80, forwardTo([group, 1]))).toBe(listener);
    const duplicate = await failure(createListener(h, lb, 80, forwardTo([other, 1])));
    expect(duplicate.name).toBe("DuplicateListenerException");

    await h.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));
    const gone = await failure(h.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener] })));
    expect(gone.name).toBe("ListenerNotFoundException");
    // Deleting again succeeds, as in AWS; the target group is free again.
    await h.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));
    await h.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: group }));
  });

  it("refuses to delete a load balancer under deletion protection", async () => {
    const lb = await createAlb(h, "protected");
    const defaults = await h.clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb }));
    expect(defaults.Attributes).toContainEqual({ Key: "idle_timeout.timeout_seconds", Value: "60" });
    await h.clients.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb, Attributes: [{ Key: "deletion_protection.enabled", Value: "true" }] }));
    const refused = await failure(h.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb })));
    expect(refused.name).toBe("OperationNotPermittedException");
    await h.clients.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb, Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }] }));
    await h.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb }));
  });

  it("tags every kind of resource and refuses the 51st tag", async () => {
    const lb = await createAlb(h, "tagged");
    const group = await createTargetGroup(h, "tagged-tg");
    const listener = await createListener(h, lb, 8080, forwardTo([group, 1]));
    await h.clients.elbv2.send(new AddTagsCommand({ ResourceArns: [lb, group, listener], Tags: [{ Key: "env", Value: "dev" }] }));
    await h.clients.elbv2.send(new AddTagsCommand({ ResourceArns: [lb], Tags: [{ Key: "env", Value: "prod" }, { Key: "owner", Value: "me" }] }));
    await h.clients.elbv2.send(new RemoveTagsCommand({ ResourceArns: [group], TagKeys: ["env"] }));
    const tags = await h.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lb, group, listener] }));
    expect(tags.TagDescriptions).toEqual([
      { ResourceArn: lb, Tags: [{ Key: "env", Value: "prod" }, { Key: "owner", Value: "me" }] },
      { ResourceArn: group, Tags: [] },
      { ResourceArn: listener, Tags: [{ Key: "env", Value: "dev" }] },
    ]);
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    const tooMany = await failure(h.clients.elbv2.send(new AddTagsCommand({ ResourceArns: [lb], Tags: many })));
    expect(tooMany.name).toBe("TooManyTagsException");
  });
});
