import { DescribeServicesCommand, ListClustersCommand } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { AwsClock, awsTime } from "../../src/aws/clock.js";
import { startSim, type SimHarness } from "../support/sim.js";

describe("AWS's clock, learned from its answers", () => {
  let harness: SimHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("reads the simulator's time from its answers, so slipway stamps records on the clock ECS's own events use", async () => {
    harness = await startSim();
    await harness.control("POST", "clock", { speed: 0, advanceSeconds: 3 * 3600 });
    await harness.clients.ecs.send(new ListClustersCommand({}));
    const simulated = harness.sim.clock.nowMs();
    // The Date header has whole seconds; the clock is right to within them.
    expect(Math.abs(harness.clients.clock.now().getTime() - simulated)).toBeLessThan(1_500);
    expect(Math.abs(awsTime().getTime() - simulated)).toBeLessThan(1_500);
    expect(harness.clients.clock.aheadMs).toBeGreaterThan(3 * 3600 * 1000 - 1_500);
  });

  it("learns from a refusal too: an error answer is dated like any other", async () => {
    harness = await startSim();
    await harness.control("POST", "clock", { speed: 0, advanceSeconds: 600 });
    const refused = await harness.clients.ecs.send(new DescribeServicesCommand({ cluster: "nowhere", services: ["x"] })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(Math.abs(harness.clients.clock.now().getTime() - harness.sim.clock.nowMs())).toBeLessThan(1_500);
  });

  it("sends a refusal once, though the simulator's clock is hours from this machine's (the SDK would retry it as a skewed clock's fault)", async () => {
    harness = await startSim();
    await harness.control("POST", "clock", { speed: 0, advanceSeconds: 5 * 3600 });
    await harness.control("DELETE", "calls");
    const refused = await harness.clients.ecs.send(new DescribeServicesCommand({ cluster: "nowhere", services: ["x"] })).catch((e: unknown) => e);
    expect((refused as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(1);
    const calls = (await harness.control("GET", "calls")) as { byOperation: Record<string, Record<string, number>> };
    expect(calls.byOperation["ecs:DescribeServices"]).toEqual({ error: 1 });
  });

  it("keeps this machine's time when AWS agrees with it to within the header's whole seconds", () => {
    const clock = new AwsClock();
    const now = Date.now();
    clock.observe(new Date(now - 800).toUTCString(), now - 20, now);
    expect(clock.aheadMs).toBe(0);
    clock.observe(new Date(now + 90_000).toUTCString(), now - 20, now);
    expect(clock.aheadMs).toBeGreaterThan(88_000);
    expect(clock.aheadMs).toBeLessThan(91_000);
    clock.observe("not a date", now, now);
    expect(clock.aheadMs).toBeGreaterThan(88_000);
  });
});
