import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { startSim, type SimHarness } from "../support/sim.js";
import { parseQueryCall } from "../../src/sim/protocols/query.js";

describe("simulator endpoint", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ speed: 60 });
  });
  afterAll(() => h.close());

  it("answers the control surface with the simulated time and speed", async () => {
    const health = (await h.control("GET", "health")) as { ok: boolean; speed: number };
    expect(health).toMatchObject({ ok: true, speed: 60 });
  });

  it("moves simulated time forward on request", async () => {
    const before = Date.parse(((await h.control("GET", "clock")) as { now: string }).now);
    const after = Date.parse(((await h.control("POST", "clock", { advanceSeconds: 3600 })) as { now: string }).now);
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
  });

  it("freezes simulated time at speed 0, moves it only on request then, and refuses a negative speed or step", async () => {
    const frozen = (await h.control("POST", "clock", { speed: 0 })) as { now: string; speed: number };
    expect(frozen.speed).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(((await h.control("GET", "clock")) as { now: string }).now).toBe(frozen.now);
    const stepped = (await h.control("POST", "clock", { advanceSeconds: 90 })) as { now: string };
    expect(Date.parse(stepped.now) - Date.parse(frozen.now)).toBe(90_000);
    await expect(h.control("POST", "clock", { speed: -1 })).rejects.toThrow(/answered 400: .*speed must be a number of simulated seconds per real second, 0 \(frozen\) or more/);
    await expect(h.control("POST", "clock", { advanceSeconds: -5 })).rejects.toThrow(/answered 400: .*advanceSeconds must be a number of seconds, 0 or more/);
    await h.control("POST", "clock", { speed: 60 });
  });

  it("injects retryable server errors that the SDK retries through", async () => {
    await h.control("PUT", "faults", { errorRate: 1, operations: ["ecs:ListClusters"] });
    const failed = await h.clients.ecs.send(new ListClustersCommand({})).catch((e: Error & { $metadata?: { attempts?: number } }) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).name).toBe("ServerException");
    expect((failed as { $metadata: { attempts: number } }).$metadata.attempts).toBe(3);
    await h.control("DELETE", "faults");
  });

  it("throttles with ThrottlingException once a bucket is empty", async () => {
    h.sim.throttler.enabled = true;
    h.sim.throttler.reset();
    const { Simulator } = await import("../../src/sim/simulator.js");
    const lone = new Simulator();
    // cluster-read holds a burst of 50 tokens; the 51st call in the same instant is refused.
    const results = Array.from({ length: 51 }, () => lone.throttler.allow("us-east-1", "ecs", "DescribeClusters"));
    expect(results.filter((ok) => !ok)).toHaveLength(1);
    h.sim.throttler.enabled = false;
  });

  it("counts the calls it answered by operation and outcome", async () => {
    await h.control("DELETE", "calls");
    await h.clients.ecs.send(new ListClustersCommand({}));
    await h.clients.ecs.send(new ListClustersCommand({}));
    await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["nope"] })).catch(() => undefined);
    const counts = (await h.control("GET", "calls")) as { total: number; byOperation: Record<string, Record<string, number>> };
    expect(counts.byOperation["ecs:ListClusters"]).toEqual({ ok: 2 });
    expect(counts.byOperation["elbv2:DescribeLoadBalancers"]).toEqual({ error: 1 });
    expect(counts.total).toBe(3);
  });

  it("speaks the query protocol's error format to the ELBv2 client", async () => {
    const failed = await h.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["nope"] })).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
  });
});

describe("query protocol parsing", () => {
  it("turns flattened member lists into arrays", () => {
    const call = parseQueryCall(
      "Action=ModifyRule&Version=2015-12-01&RuleArn=r&Actions.member.1.Type=forward" +
        "&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=a&Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=90" +
        "&Actions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn=b&Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10",
    );
    expect(call).toEqual({
      operation: "ModifyRule",
      version: "2015-12-01",
      input: {
        RuleArn: "r",
        Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: "a", Weight: "90" }, { TargetGroupArn: "b", Weight: "10" }] } }],
      },
    });
  });
});
