import { CreateServiceCommand, DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, imageBehaves, network, registerWeb } from "./ecs-fixtures.js";

/**
 * The simulated world moves with simulated time, never with the number of requests: everything due by "now" is done
 * before any answer, stamped with the instant it was due. The clock is frozen; only the test moves it.
 */
async function frozen<T>(use: (h: SimHarness) => Promise<T>): Promise<T> {
  const h = await startSim({ speed: 1 });
  try {
    h.sim.clock.setSpeed(0);
    await createCluster(h, "c");
    return await use(h);
  } finally {
    await h.close();
  }
}

const describeService = async (h: SimHarness) => (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }))).services?.[0];

/** A crashing rollout with the breaker's rollback, observed after each of `steps` seconds: its events and deployments. */
async function historyPolledEvery(steps: number[]): Promise<string[]> {
  return frozen(async (h) => {
    const good = await registerWeb(h, "api", "api:1");
    const bad = await registerWeb(h, "api", "api:2-broken");
    await imageBehaves(h, "api:2-broken", "crash");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: good, desiredCount: 2, launchType: "FARGATE", networkConfiguration: network, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    h.sim.clock.advance(300);
    await describeService(h);
    const t0 = h.sim.clock.nowMs();
    await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", taskDefinition: bad }));
    let service;
    for (const step of steps) {
      h.sim.clock.advance(step);
      service = await describeService(h);
    }
    // Ids differ between runs; their order of appearance does not.
    const ids = new Map<string, string>();
    const named = (m: string) => m.replace(/[0-9a-f]{32}|ecs-svc\/\d+/g, (id) => ids.get(id) ?? (ids.set(id, `#${ids.size}`).get(id) as string));
    const events = (service?.events ?? []).filter((e) => (e.createdAt?.getTime() ?? 0) >= t0).reverse();
    return [...events.map((e) => `+${((e.createdAt?.getTime() ?? 0) - t0) / 1000}s ${named(e.message ?? "")}`), ...(service?.deployments ?? []).map((d) => `${d.status} ${d.rolloutState} ${d.runningCount}/${d.desiredCount}`)];
  });
}

describe("the simulator's clock, not its callers, moves the world", () => {
  it("finishes a rollout that was due long ago at the first request after it, dated when it was due", async () => {
    await frozen(async (h) => {
      const v1 = await registerWeb(h, "web", "web:1");
      const v2 = await registerWeb(h, "web", "web:2");
      await h.clients.ecs.send(new CreateServiceCommand({ cluster: "c", serviceName: "s", taskDefinition: v1, desiredCount: 1, launchType: "FARGATE", networkConfiguration: network }));
      h.sim.clock.advance(3600);
      await describeService(h);
      const start = h.sim.clock.nowMs();
      await h.clients.ecs.send(new UpdateServiceCommand({ cluster: "c", service: "s", taskDefinition: v2 }));
      h.sim.clock.advance(900);
      // One request, no time passing: it sees the rollout complete, not a step of it.
      const service = await describeService(h);
      expect(service?.deployments?.map((d) => `${d.status} ${d.rolloutState}`)).toEqual(["PRIMARY COMPLETED"]);
      const completed = service?.events?.find((e) => e.message?.includes("completed"));
      expect(((completed?.createdAt?.getTime() ?? 0) - start) / 1000).toBeLessThan(900);
      expect((await describeService(h))?.deployments).toEqual(service?.deployments);
    });
  });

  it("leaves the same history whether it is polled once, every second or every 7.5 seconds", async () => {
    const once = await historyPolledEvery([120]);
    expect(once.join("\n")).toMatch(/deployment failed: tasks failed to start\.\n.*rolling back to deployment/);
    expect(await historyPolledEvery(Array<number>(120).fill(1))).toEqual(once);
    expect(await historyPolledEvery(Array<number>(16).fill(7.5))).toEqual(once);
  });
});
