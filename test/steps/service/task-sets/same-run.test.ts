import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../../src/errors.js";
import { deployService } from "../../../../steps/service/index.js";
import { startSim, type SimHarness } from "../../../support/sim.js";
import { createCluster, registerWeb } from "../../../sim/ecs-fixtures.js";
import { callsSince, resetCalls } from "../world.js";
import { canaryFixture, context, runOptions, shop, step } from "./world.js";

/**
 * A run given an earlier deployment's id continues it from the facts in its journal. Asking it for another
 * revision, release or environment used to be silently ignored (the facts won); now it is refused, up front.
 */
describe("a task-set deployment run again under its id", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createCluster(h, "shop-dev");
    for (const image of ["shop/web:1.0.0", "shop/web:2.0.0", "shop/web:3.0.0"]) await registerWeb(h, "shop-web", image);
  });
  afterAll(() => h.close());

  it("refuses another revision, release or environment, and continues with the same ones or a bare family", async () => {
    const s = await shop(h, "again");
    const loaded = step(canaryFixture, { service: "again" });
    await deployService(loaded, context(h, s), runOptions({ override: "shop-web:1" }));
    const ctx = context(h, s, { deploymentId: "dep2", release: "2.0.0" });
    expect((await deployService(loaded, ctx, runOptions({ override: "shop-web:2" }))).output?.status).toBe("SUCCESSFUL");
    await resetCalls(h);

    const refused = (change: Parameters<typeof context>[2], override: string) => deployService(loaded, { ...ctx, dryRun: true, ...change }, runOptions({ override })).catch((e: unknown) => e);
    const hint = "Use `slipway resume dep2` to continue it, or start a new deployment without --deployment.";
    const otherRevision = await refused({}, "shop-web:3");
    expect(otherRevision).toBeInstanceOf(InputError);
    expect(otherRevision).toMatchObject({ message: "Deployment dep2 was started with shop-web:2; this run asks for shop-web:3.", hint });
    expect(await refused({ release: "2.0.1" }, "shop-web:2")).toMatchObject({ message: "Deployment dep2 was started with release 2.0.0; this run asks for release 2.0.1." });
    expect(await refused({ target: { ...s.target, environment: "prod" } }, "shop-web:2")).toMatchObject({ message: "Deployment dep2 was started with environment dev; this run asks for environment prod." });
    expect((await callsSince(h)).writes).toEqual({});

    // The same revision (or a family, whose newest revision may have moved since) continues it: finished, so no write.
    for (const override of ["shop-web:2", "shop-web"]) expect((await deployService(loaded, ctx, runOptions({ override }))).output?.status).toBe("SUCCESSFUL");
    expect((await callsSince(h)).writes).toEqual({});
  });
});
