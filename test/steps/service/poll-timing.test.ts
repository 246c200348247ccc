import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand, type Service } from "@aws-sdk/client-ecs";
import { deployService } from "../../../steps/service/index.js";
import { createServicePorts, type ServicePorts } from "../../../steps/service/ports.js";
import { startSim, type SimHarness } from "../../support/sim.js";
import { createCluster, imageBehaves, registerWeb } from "../../sim/ecs-fixtures.js";
import { context, options, webStep } from "./world.js";

/**
 * The simulated clock is frozen; simulated time moves only when the test's port wrapper says so, right before
 * a status poll reaches the simulator. What each poll sees is then fixed by the script, not by machine speed.
 */
function scriptedPorts(h: SimHarness, beforeFirstPoll: () => Promise<void>, stepSeconds = 5, answer: "full" | "without currentServiceDeployment" = "full"): ServicePorts & { polls: number } {
  const real = createServicePorts(h.clients);
  let armed = false;
  const ports = {
    ...real,
    polls: 0,
    services: {
      describe: async (cluster: string, service: string): Promise<Service | undefined> => {
        if (armed) {
          ports.polls++;
          if (ports.polls === 1) await beforeFirstPoll();
          else h.sim.clock.advance(stepSeconds);
        } else h.sim.clock.advance(stepSeconds);
        return real.services.describe(cluster, service);
      },
      create: async (input: Parameters<typeof real.services.create>[0]) => real.services.create(input),
      tag: async (arn: string, tags: Parameters<typeof real.services.tag>[1]) => real.services.tag(arn, tags),
      update: async (input: Parameters<typeof real.services.update>[0]) => {
        const out = await real.services.update(input);
        armed = true;
        if (answer === "full") return out;
        // An endpoint whose answer predates service deployments: the rollout's record must be found another way.
        const { currentServiceDeployment: _dropped, ...older } = out;
        return older;
      },
    },
  };
  return ports;
}

async function record(h: SimHarness, service: string) {
  const list = await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "shop-dev", service }));
  const arn = list.serviceDeployments?.[0]?.serviceDeploymentArn ?? "";
  const out = await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments?.[0];
}

async function advanceUntil(h: SimHarness, service: string, status: string): Promise<number> {
  for (let s = 1; s <= 600; s++) {
    h.sim.clock.advance(1);
    if ((await record(h, service))?.status === status) return s;
  }
  throw new Error(`never ${status}`);
}

/**
 * A rolling deploy of a crashing image, with the circuit breaker's rollback: whenever the first status poll lands —
 * before the breaker trips, while ECS rolls back, late in the rollback, or after it finished — the verdict is the
 * one ECS records (ROLLBACK_SUCCESSFUL, tripped after the record's failure count, back to the previous revision),
 * never "someone else deployed". Simulated time is frozen and moved only by the script, so machine speed plays no part.
 */
describe("a rolling deploy's verdict, whenever its first poll lands", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ speed: 1 });
    h.sim.clock.setSpeed(0);
    await createCluster(h, "shop-dev");
    await registerWeb(h, "shop-web", "shop/web:1.0.0");
    await registerWeb(h, "shop-web", "shop/web:2.0.0-broken");
    await imageBehaves(h, "shop/web:2.0.0-broken", "crash");
  });
  afterAll(() => h.close());

  const timings = {
    "before the breaker trips": async () => void h.sim.clock.advance(25),
    "as ECS starts rolling back": (name: string) => advanceUntil(h, name, "ROLLBACK_IN_PROGRESS").then(() => undefined),
    "late in the rollback": async (name: string) => {
      await advanceUntil(h, name, "ROLLBACK_IN_PROGRESS");
      h.sim.clock.advance(15);
    },
    "after the rollback finished": (name: string) => advanceUntil(h, name, "ROLLBACK_SUCCESSFUL").then(() => undefined),
  };

  for (const [when, moveTime] of Object.entries(timings)) {
    it(`first poll ${when}`, async () => {
      const name = `crashy-${when.replace(/\W+/g, "-")}`;
      const step = webStep({ service: name });
      await deployService(step, context(h), options({ override: "shop-web:1", ports: scriptedPorts(h, async () => {}) }));
      const watched = options({ override: "shop-web:2", ports: scriptedPorts(h, () => moveTime(name)) });
      const error = await deployService(step, context(h), watched).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`Deploying ${name} to shop-web:2 failed (ROLLBACK_SUCCESSFUL).`);
      const notes = watched.progress.lines.filter((l) => l.startsWith("note ")).map((l) => l.slice(5));
      const failures = (await record(h, name))?.deploymentCircuitBreaker?.failureCount;
      expect(failures).toBe(3);
      expect(notes).toContain(`  circuit breaker: tripped after ${failures} failed task(s) (rollback on)`);
      expect(notes).toContain("  rolled back: yes, ECS rolled back to shop-web:1");
      expect(notes.join("\n")).not.toMatch(/someone else deployed|not tripped|rolled back: no/);
    });
  }

  it("first poll after the rollback finished, UpdateService's answer naming no service deployment: the record is looked up", async () => {
    const name = "crashy-unnamed-record";
    const step = webStep({ service: name });
    await deployService(step, context(h), options({ override: "shop-web:1", ports: scriptedPorts(h, async () => {}) }));
    const watched = options({ override: "shop-web:2", ports: scriptedPorts(h, () => advanceUntil(h, name, "ROLLBACK_SUCCESSFUL").then(() => undefined), 5, "without currentServiceDeployment") });
    const error = await deployService(step, context(h), watched).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Deploying ${name} to shop-web:2 failed (ROLLBACK_SUCCESSFUL).`);
    const notes = watched.progress.lines.filter((l) => l.startsWith("note ")).map((l) => l.slice(5));
    expect(notes).toContain("  circuit breaker: tripped after 3 failed task(s) (rollback on)");
    expect(notes).toContain("  rolled back: yes, ECS rolled back to shop-web:1");
  });
});
