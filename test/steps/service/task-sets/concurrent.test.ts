import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../../../src/errors.js";
import { deployService } from "../../../../steps/service/index.js";
import type { RawStage } from "../../../../steps/service/task-sets/stages.js";
import type { SimHarness } from "../../../support/sim.js";
import { shopDevSim } from "../../../sim/ecs-fixtures.js";
import { approvalsDir, canaryFixture, context, runOptions, settledState, shop, step } from "./world.js";

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Review finding A(2): a deployment rolling back must not restore the revision it started from over one that
 * another deployment promoted meanwhile. (The CLI's deployment lock keeps two deployments of a service apart; this
 * is the step itself, reached without the CLI, or after a lock was taken over.)
 */
describe("a rollback after someone else changed the service", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim(["1.0.0", "2.0.0", "3.0.0"]);
  });
  afterAll(() => h.close());

  it("refuses with a ConflictError naming what runs now, and leaves the newer revision serving", async () => {
    const s = await shop(h, "overtaken");
    await deployService(step(canaryFixture, { service: s.name }), context(h, s), runOptions({ override: "shop-web:1" }));

    // dep2 waits at its gate with the canary taking 50 %.
    const gates = approvalsDir();
    const gated: RawStage[] = [{ canaryRollout: { scale: 50 } }, { trafficRouting: { canary: 50 } }, { approval: {} }, { primaryRollout: {} }, { canaryClean: {} }];
    const dep2 = context(h, s, { deploymentId: "dep2" });
    const waiting = deployService(step(canaryFixture, { service: s.name, stages: gated }), dep2, runOptions({ override: "shop-web:2", approvals: gates })).catch((e: unknown) => e);
    while ((await gates.list({ open: true })).length === 0) await later(20);

    // Meanwhile another deployment puts shop-web:3 in place, all the way.
    const straight: RawStage[] = [{ canaryRollout: { scale: 50 } }, { primaryRollout: {} }, { canaryClean: {} }];
    await deployService(step(canaryFixture, { service: s.name, stages: straight }), context(h, s, { deploymentId: "dep3" }), runOptions({ override: "shop-web:3" }));
    expect((await settledState(h, s, s.name)).revision).toBe("shop-web:3");

    // dep2 is aborted: rolling back to shop-web:1 now would undo dep3's good release.
    await gates.decide({ deploymentId: "dep2", verdict: "aborted", by: "oncall" });
    const error = await waiting;
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/^Deployment dep2 will not roll overtaken back: the service has changed since it started\. It now runs shop-web:3 \(task set ecs-svc\/\d+, made by deployment dep3\); when the deployment started it ran shop-web:1 .*Nothing was changed\.$/);
    expect(await settledState(h, s, s.name)).toEqual({ revision: "shop-web:3", problems: [] });
  });
});
