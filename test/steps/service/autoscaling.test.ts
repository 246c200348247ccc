import { DescribeScalableTargetsCommand, RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { DescribeTaskSetsCommand, type Service } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desiredCountDimension, serviceResourceId } from "../../../src/aws/scalable-targets.js";
import { deployService } from "../../../steps/service/index.js";
import { createServicePorts } from "../../../steps/service/ports.js";
import { countOnUpdate } from "../../../steps/service/rolling/plan.js";
import { describeService, imageBehaves, shopDevSim } from "../../sim/ecs-fixtures.js";
import type { SimHarness } from "../../support/sim.js";
import { canaryFixture, context as taskSetContext, journal, runOptions, shop, step, WatchedJournal } from "./task-sets/world.js";
import { context, options, webStep } from "./world.js";

/**
 * A service Application Auto Scaling has scaled out under load keeps its count through a deploy: slipway's step
 * count is for creating the service, and setting it back would drop capacity exactly when it is needed.
 */
describe("deploying a service Application Auto Scaling manages", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim(["1.0.0", "2.0.0", "3.0.0-broken"]);
  });
  afterAll(() => h.close());

  /** Registers the service as a scalable target (2–10) and scales it to `count`, as a load alarm would. */
  async function autoscaled(service: string, count: number): Promise<void> {
    await h.clients.autoscaling.send(
      new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: serviceResourceId("shop-dev", service), ScalableDimension: desiredCountDimension, MinCapacity: 2, MaxCapacity: 10 }),
    );
    await h.control("POST", "autoscaling/scale", { cluster: "shop-dev", service, desiredCount: count });
    expect((await describeService(h, "shop-dev", service)).desiredCount).toBe(count);
  }

  it("rolling: the new revision rolls out at the scaled-out count, which never dips, and the plan says why the step's count is not applied", async () => {
    const name = "scaled-rolling";
    await deployService(webStep({ service: name, desiredCount: 2 }), context(h), options({ override: "shop-web:1" }));
    await autoscaled(name, 6);
    // Every look slipway takes at the service during the deploy: the count it saw.
    const seen: number[] = [];
    const ports = createServicePorts(h.clients);
    const real = ports.services;
    const watching = {
      ...ports,
      services: {
        describe: async (cluster: string, service: string): Promise<Service | undefined> => {
          const described = await real.describe(cluster, service);
          if (described) seen.push(described.desiredCount ?? -1);
          return described;
        },
        create: (input: Parameters<typeof real.create>[0]) => real.create(input),
        update: (input: Parameters<typeof real.update>[0]) => real.update(input),
        tag: (arn: string, tags: Parameters<typeof real.tag>[1]) => real.tag(arn, tags),
      },
    };
    const opts = options({ override: "shop-web:2", ports: watching });
    const { plan, output } = await deployService(webStep({ service: name, desiredCount: 2 }), context(h), opts);
    expect(output?.status).toBe("SUCCESSFUL");
    const update = plan.actions[0]?.params as { input: { desiredCount?: number } };
    expect(update.input.desiredCount).toBeUndefined();
    expect(plan.notes).toContain("desired count: 6, left to Application Auto Scaling (2–10); the step's 2 applies only when the service is created");
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([6]));
    const after = await describeService(h, "shop-dev", name);
    expect(after).toMatchObject({ desiredCount: 6, runningCount: 6, taskDefinition: expect.stringMatching(/shop-web:2$/) });
  });

  it("canary: task sets are sized from the scaled-out count, no stage sets the service's count, and it never dips", async () => {
    const name = "scaled-canary";
    const s = await shop(h, name);
    await deployService(step(canaryFixture, { service: name }), taskSetContext(h, s), runOptions({ override: "shop-web:1" }));
    await autoscaled(name, 6);
    const counts: Record<string, { service: number; taskSets: number[] }> = {};
    const watched = new WatchedJournal(journal(), async (stage) => {
      const service = await describeService(h, "shop-dev", name);
      const sets = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-dev", service: name }));
      counts[stage] = { service: service.desiredCount ?? -1, taskSets: (sets.taskSets ?? []).map((t) => t.computedDesiredCount ?? -1).sort((a, b) => a - b) };
    });
    const { plan, output } = await deployService(step(canaryFixture, { service: name }), taskSetContext(h, s, { journal: watched }), runOptions({ override: "shop-web:2" }));
    expect(output?.status).toBe("SUCCESSFUL");
    expect(plan.actions.map((a) => a.kind)).not.toContain("update-desired-count");
    expect(plan.notes).toContain("desired count: 6 now, left to Application Auto Scaling (2–10); task sets are sized from it as it changes");
    expect(Object.values(counts).map((c) => c.service)).toEqual(Object.keys(counts).map(() => 6));
    // The canary at 50 % of 6 is three tasks, not one (50 % of the step's 2).
    expect(counts["stage 1 canary rollout 50%"]?.taskSets).toEqual([3, 6]);
    const after = await describeService(h, "shop-dev", name);
    expect(after.desiredCount).toBe(6);
    expect(after.taskSets?.map((t) => [t.status, t.computedDesiredCount, t.taskDefinition?.split("/").at(-1)])).toEqual([["PRIMARY", 6, "shop-web:2"]]);
  });

  it("canary with autoscaling.suspendScaleIn: scale-in is suspended while it runs and resumed when it ends — rolled back too", async () => {
    const name = "scaled-suspend";
    const s = await shop(h, name);
    await deployService(step(canaryFixture, { service: name }), taskSetContext(h, s), runOptions({ override: "shop-web:1" }));
    await autoscaled(name, 6);
    const suspendedNow = async () => {
      const out = await h.clients.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: [serviceResourceId("shop-dev", name)] }));
      return out.ScalableTargets?.[0]?.SuspendedState?.DynamicScalingInSuspended;
    };
    const during: { suspended: boolean | undefined; scaleIn: unknown }[] = [];
    const watched = new WatchedJournal(journal(), async (stage) => {
      if (stage !== "stage 1 canary rollout 50%") return;
      // A load alarm asking for fewer tasks mid-deployment is not obeyed.
      during.push({ suspended: await suspendedNow(), scaleIn: await h.control("POST", "autoscaling/scale", { cluster: "shop-dev", service: name, desiredCount: 3 }) });
    });
    const suspending = step(canaryFixture, { service: name, autoscaling: { suspendScaleIn: true } });
    const { plan, output } = await deployService(suspending, taskSetContext(h, s, { journal: watched }), runOptions({ override: "shop-web:2" }));
    expect(output?.status).toBe("SUCCESSFUL");
    expect(plan.actions.filter((a) => a.kind === "suspend-scale-in").map((a) => a.summary)).toEqual([
      `[preflight] suspend Application Auto Scaling's scale-in of ${name} until the deployment ends`,
      `[end] resume Application Auto Scaling's scale-in of ${name}`,
    ]);
    expect(during).toEqual([{ suspended: true, scaleIn: { desiredCount: 6, applied: false, reason: "DynamicScalingInSuspended" } }]);
    expect(await suspendedNow()).toBe(false);

    // A canary that fails rolls back, and scale-in is resumed all the same.
    await imageBehaves(h, "shop/web:3.0.0-broken", "crash");
    const failing = await deployService(suspending, taskSetContext(h, s), runOptions({ override: "shop-web:3" })).catch((e: unknown) => e);
    expect((failing as Error).message).toMatch(/ROLLBACK_SUCCESSFUL|rolled back/i);
    expect(await suspendedNow()).toBe(false);
    expect((await describeService(h, "shop-dev", name)).desiredCount).toBe(6);
  });

  it("creating a service applies the step's count: nothing can manage a service that does not exist yet", async () => {
    const name = "scaled-new";
    const { plan } = await deployService(webStep({ service: name, desiredCount: 3 }), context(h), options({ override: "shop-web:1" }));
    expect((plan.actions[0]?.params as { input: { desiredCount?: number } }).input.desiredCount).toBe(3);
  });
});

describe("the count an update sends", () => {
  it("is the step's when nothing manages the service, and nothing when it already matches", () => {
    expect(countOnUpdate({ desiredCount: 2, scaling: { kind: "none" } }, 4)).toEqual({ update: 4 });
    expect(countOnUpdate({ desiredCount: 4, scaling: { kind: "none" } }, 4)).toEqual({});
  });

  it("is left alone, saying why, when whether Application Auto Scaling manages it could not be read", () => {
    const refused = countOnUpdate({ desiredCount: 9, scaling: { kind: "unknown", reason: "application-autoscaling:DescribeScalableTargets was refused (AccessDeniedException)" } }, 2);
    expect(refused).toEqual({ note: "desired count: 9, left as it is: whether Application Auto Scaling manages it could not be read (application-autoscaling:DescribeScalableTargets was refused (AccessDeniedException)); the step's 2 is not applied" });
  });
});
