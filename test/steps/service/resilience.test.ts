import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { createAwsClients } from "../../../src/aws/clients.js";
import { DeploymentFailedError } from "../../../src/errors.js";
import { deployService } from "../../../steps/service/index.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { createCluster, describeService, imageBehaves, loadBalancedGroups, registerWeb } from "../../sim/ecs-fixtures.js";
import { callsSince, context, options, resetCalls, target, webStep } from "./world.js";

describe("waiting for a rolling deployment when ECS is slow, unhealthy or busy", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createCluster(h, "shop-dev");
    await registerWeb(h, "shop-web", "shop/web:1.0.0");
    await registerWeb(h, "shop-web", "shop/web:3.0.0-sick");
    await imageBehaves(h, "shop/web:3.0.0-sick", "unhealthy");
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await resetCalls(h);
    // Call faults only: DELETE /_sim/faults would also forget the sick image's behaviour.
    await h.control("PUT", "faults", { errorRate: 0, operations: [] });
    await h.control("PUT", "throttling", { enabled: false });
  });

  it("explains a revision that never passes its health checks once the wait times out", async () => {
    await loadBalancedGroups(h, "sick", 2);
    // The primary target group by name: the step resolves it with DescribeTargetGroups.
    const lbTarget = target(h, { loadBalancer: { listener: { loadBalancer: "sick-alb", port: 80 }, targetGroups: { primary: "sick-tg0", canary: "sick-tg1" } } });
    const step = webStep({ service: "sick", loadBalancer: { containerName: "web", containerPort: 8080 }, healthCheckGracePeriodSeconds: 30, deployment: { circuitBreaker: { enable: false } } });
    const healthy = await deployService(step, context(h, { target: lbTarget }), options({ override: "shop-web:1" }));
    expect(healthy.output?.status).toBe("SUCCESSFUL");
    expect((await callsSince(h)).reads["elbv2:DescribeTargetGroups"]).toBe(1);

    // 1.5 s of wall-clock time is 300 simulated seconds at speed 200: long enough for several unhealthy tasks.
    const watched = options({ override: "shop-web:2" });
    const error = await deployService({ ...step, raw: { ...step.raw, waitTimeoutSeconds: 1.5 } }, context(h, { target: lbTarget }), watched).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentFailedError);
    expect((error as DeploymentFailedError).message).toBe("Deploying sick to shop-web:2 timed out (TIMED_OUT).");
    const notes = watched.progress.lines.filter((l) => l.startsWith("note ")).map((l) => l.slice(5));
    expect(notes).toContain("  shop-web:2 did not reach a steady state within 1.5 s. ECS has not rolled back and keeps trying; the service runs what it ran before alongside whatever new tasks stay up.");
    expect(notes).toContain("  circuit breaker: off");
    expect(notes.some((n) => /task [0-9a-f]{12} shop-web:2: ServiceSchedulerInitiated: Task failed ELB health checks in \(target-group arn:.*sick-tg0/.test(n))).toBe(true);
    expect(notes.some((n) => /\(port 8080\) is unhealthy in \(target-group/.test(n))).toBe(true);
    const [record] = await watched.records.list({ environment: "dev", cluster: "shop-dev", service: "sick" });
    expect(record).toMatchObject({ status: "TIMED_OUT", circuitBreaker: { enabled: false, tripped: false } });
  });

  it("converges while ECS throttles: many deploys polling at once beside a noisy neighbour, none fails", async () => {
    await h.control("PUT", "throttling", { enabled: true });
    // Empty the service-read bucket (100 burst, 20/s) first, calling until ECS refuses one: throttling then surely
    // happens, however fast or busy this machine is (the bucket refills in wall-clock time).
    // A client of its own that never retries, so the first refusal comes back at once.
    const drain = createAwsClients({ region: h.region, endpoint: h.url, maxAttempts: 1, retryMode: "standard" });
    let refused = false;
    for (let i = 0; i < 2_000 && !refused; i++) {
      refused = await drain.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["busy-0"] })).then(
        () => false,
        (e: unknown) => e instanceof Error && e.name === "ThrottlingException",
      );
    }
    drain.destroy();
    expect(refused).toBe(true);
    // Another tool reading services flat out keeps the bucket low while the deploys poll.
    let deploying = true;
    const neighbour = (async () => {
      while (deploying) await describeService(h, "shop-dev", "busy-0").catch(() => undefined);
    })();
    const deploys = Array.from({ length: 10 }, (_, i) => deployService(webStep({ service: `busy-${i}` }), context(h), options({ override: "shop-web:1" })));
    const outcomes = await Promise.all(deploys).finally(() => {
      deploying = false;
    });
    await neighbour;
    expect(outcomes.map((o) => o.output?.status)).toEqual(Array(10).fill("SUCCESSFUL"));
    expect((await callsSince(h)).throttled).toBeGreaterThan(0);
  });

  it("converges through transient 5xx answers during the wait", async () => {
    await h.control("PUT", "faults", { errorRate: 0.3, operations: ["ecs:DescribeServices", "ecs:ListTasks", "ecs:DescribeTasks"], seed: 7 });
    const watched = options({ override: "shop-web:1" });
    const outcome = await deployService(webStep({ service: "flaky" }), context(h), watched);
    expect(outcome.output?.status).toBe("SUCCESSFUL");
    expect((await callsSince(h)).faults).toBeGreaterThan(0);
  });
});
