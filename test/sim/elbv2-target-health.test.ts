import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { createAlb, createListener, createTargetGroup, failure, forwardTo } from "./elbv2-world.js";

describe("ELBv2 target health", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim();
  });
  afterAll(() => h.close());

  const advance = (seconds: number) => h.control("POST", "clock", { advanceSeconds: seconds });
  const health = async (group: string) => {
    const out = await h.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group }));
    return (out.TargetHealthDescriptions ?? []).map((d) => ({ id: d.Target?.Id, ...d.TargetHealth }));
  };

  it("reports targets of a group no listener forwards to as unused", async () => {
    const group = await createTargetGroup(h, "idle");
    await h.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: "10.0.1.1" }] }));
    expect(await health(group)).toEqual([{ id: "10.0.1.1", State: "unused", Reason: "Target.NotInUse", Description: "Target group is not configured to receive traffic from the load balancer" }]);
    expect(h.sim.elbv2.targetHealth(h.region, group, "10.0.1.1", 8080, h.sim.clock.now())).toBe("unused");
    const bad = await failure(h.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: "not-an-ip" }] })));
    expect(bad.name).toBe("InvalidTargetException");
  });

  it("turns initial targets healthy after interval x healthy threshold, and failing ones unhealthy", async () => {
    const lb = await createAlb(h, "health");
    const group = await createTargetGroup(h, "health-tg");
    await createListener(h, lb, 80, forwardTo([group, 1]));
    const at = h.sim.clock.now();
    h.sim.elbv2.registerTarget(h.region, group, { id: "10.0.2.1", port: 8080, taskArn: "task-good", passesHealthCheck: true }, at);
    h.sim.elbv2.registerTarget(h.region, group, { id: "10.0.2.2", port: 8080, taskArn: "task-bad", passesHealthCheck: false }, at);

    expect((await health(group)).map((t) => [t.id, t.State, t.Reason])).toEqual([
      ["10.0.2.1", "initial", "Elb.RegistrationInProgress"],
      ["10.0.2.2", "initial", "Elb.RegistrationInProgress"],
    ]);
    await advance(35);
    expect((await health(group)).map((t) => t.Reason)).toEqual(["Elb.InitialHealthChecking", "Elb.InitialHealthChecking"]);
    await advance(30); // 65 s: past 2 intervals, the failing target is unhealthy; the good one still needs 5.
    expect((await health(group)).map((t) => [t.State, t.Reason])).toEqual([
      ["initial", "Elb.InitialHealthChecking"],
      ["unhealthy", "Target.ResponseCodeMismatch"],
    ]);
    await advance(90); // 155 s: past 5 intervals of 30 s.
    expect((await health(group)).map((t) => t.State)).toEqual(["healthy", "unhealthy"]);
    expect(h.sim.elbv2.targetHealth(h.region, group, "10.0.2.1", 8080, h.sim.clock.now())).toBe("healthy");
  });

  it("drains a deregistered target for the deregistration delay, then forgets it", async () => {
    const lb = await createAlb(h, "drain");
    const group = await createTargetGroup(h, "drain-tg");
    await createListener(h, lb, 80, forwardTo([group, 1]));
    await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "60" }] }));
    await h.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: "10.0.3.1" }, { Id: "10.0.3.2" }] }));
    await advance(200);
    await h.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: "10.0.3.1" }] }));
    expect((await health(group)).map((t) => [t.id, t.State, t.Reason])).toEqual([
      ["10.0.3.1", "draining", "Target.DeregistrationInProgress"],
      ["10.0.3.2", "healthy", undefined],
    ]);
    await advance(61);
    expect((await health(group)).map((t) => t.id)).toEqual(["10.0.3.2"]);
    const asked = await h.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group, Targets: [{ Id: "10.0.3.1", Port: 8080 }] }));
    expect(asked.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: "unused", Reason: "Target.NotRegistered" });
    const notThere = await failure(h.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: "10.0.3.1" }] })));
    expect(notThere.name).toBe("InvalidTargetException");
  });

  it("starts health checks only once a listener forwards to the group", async () => {
    const group = await createTargetGroup(h, "late");
    h.sim.elbv2.registerTarget(h.region, group, { id: "10.0.4.1", port: 8080, taskArn: "task-late", passesHealthCheck: true }, h.sim.clock.now());
    await advance(600);
    const lb = await createAlb(h, "late-lb");
    await createListener(h, lb, 80, forwardTo([group, 1]));
    expect((await health(group)).map((t) => t.State)).toEqual(["initial"]);
    await advance(151);
    expect((await health(group)).map((t) => t.State)).toEqual(["healthy"]);
  });
});
