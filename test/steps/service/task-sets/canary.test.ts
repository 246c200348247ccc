import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeTaskSetsCommand } from "@aws-sdk/client-ecs";
import { deployService } from "../../../../steps/service/index.js";
import type { SimHarness } from "../../../support/sim.js";
import { describeService, shopDevSim } from "../../../sim/ecs-fixtures.js";
import { canaryFixture, context, journal, revisionShares, runOptions, settledState, shop, step, verifyHeader, WatchedJournal, type Shop } from "./world.js";

describe("mode: canary against the simulator (seed 000, method B)", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());

  async function firstDeploy(s: Shop, service: string): Promise<void> {
    await deployService(step(canaryFixture, { service }), context(h, s), runOptions({ override: "shop-web:1" }));
  }

  it("creates the EXTERNAL service on first deploy with one primary task set taking all traffic", async () => {
    const s = await shop(h, "first");
    const opts = runOptions({ override: "shop-web:1" });
    const { plan, output } = await deployService(step(canaryFixture, { service: "first" }), context(h, s), opts);
    expect(plan.actions.map((a) => a.kind)).toEqual(["create-service", "create-task-set", "make-primary"]);
    expect(output).toMatchObject({ serviceName: "first", changed: true, status: "SUCCESSFUL", taskDefinitionArn: expect.stringMatching(/shop-web:1$/) });
    const service = await describeService(h, "shop-dev", "first");
    expect(service.deploymentController?.type).toBe("EXTERNAL");
    expect(await settledState(h, s, "first")).toEqual({ revision: "shop-web:1", problems: [] });
    // ECS does not propagate tags to task sets: slipway writes its own.
    const sets = await h.clients.ecs.send(new DescribeTaskSetsCommand({ cluster: "shop-dev", service: "first", include: ["TAGS"] }));
    expect(sets.taskSets?.[0]?.tags).toEqual(expect.arrayContaining([{ key: "slipway:environment", value: "dev" }, { key: "slipway:role", value: "initial" }]));
  });

  it("walks every stage with the traffic each stage promises; the header always reaches the new stack, plain requests only once routed", async () => {
    const s = await shop(h, "walk");
    await firstDeploy(s, "walk");
    const seen: Record<string, { plain: Record<string, number>; header: Record<string, number> }> = {};
    const watched = new WatchedJournal(journal(), async (stage) => {
      seen[stage] = { plain: await revisionShares(h, s), header: await revisionShares(h, s, { headers: verifyHeader }) };
    });
    const opts = runOptions({ override: "shop-web:2", release: "2.0.0" } as never);
    const { output } = await deployService(step(canaryFixture, { service: "walk" }), context(h, s, { journal: watched, release: "2.0.0" }), opts);
    expect(output).toMatchObject({ status: "SUCCESSFUL", taskDefinitionArn: expect.stringMatching(/shop-web:2$/) });
    // desiredCount 2, canary at 50 %: one canary task; the new primary two tasks beside the old two on the primary group.
    expect(seen).toEqual({
      "stage 1 canary rollout 50%": { plain: { "shop-web:1": 1 }, header: { "shop-web:1": 1 } },
      "stage 2 verify": { plain: { "shop-web:1": 1 }, header: { "shop-web:2": 1 } },
      "stage 3 traffic canary 10%": { plain: { "shop-web:1": 0.9, "shop-web:2": 0.1 }, header: { "shop-web:2": 1 } },
      "stage 4 pause 0.05s": { plain: { "shop-web:1": 0.9, "shop-web:2": 0.1 }, header: { "shop-web:2": 1 } },
      "stage 5 traffic canary 50%": { plain: { "shop-web:1": 0.5, "shop-web:2": 0.5 }, header: { "shop-web:2": 1 } },
      "stage 6 approval": { plain: { "shop-web:1": 0.5, "shop-web:2": 0.5 }, header: { "shop-web:2": 1 } },
      "stage 7 primary rollout": { plain: { "shop-web:1": 0.25, "shop-web:2": 0.75 }, header: { "shop-web:2": 1 } },
      "stage 8 traffic primary 100%": { plain: { "shop-web:1": 0.5, "shop-web:2": 0.5 }, header: { "shop-web:2": 1 } },
      "stage 9 canary clean": { plain: { "shop-web:2": 1 }, header: { "shop-web:2": 1 } },
    });
    expect(await settledState(h, s, "walk")).toEqual({ revision: "shop-web:2", problems: [] });
    // The new primary sits on the primary target group: method B keeps target groups fixed.
    const service = await describeService(h, "shop-dev", "walk");
    expect(service.taskSets?.[0]?.loadBalancers?.[0]?.targetGroupArn).toBe(s.primary);
    expect(opts.progress.lines.some((l) => l.includes("waiting for approval (stage 6 approval): run `slipway approve"))).toBe(true);
  });
});
