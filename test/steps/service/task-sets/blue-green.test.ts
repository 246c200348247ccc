import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployService } from "../../../../steps/service/index.js";
import type { SimHarness } from "../../../support/sim.js";
import { describeService, shopDevSim } from "../../../sim/ecs-fixtures.js";
import { blueGreenFixture, context, journal, revisionShares, runOptions, settledState, shop, step, verifyHeader, WatchedJournal } from "./world.js";

describe("mode: blue-green against the simulator", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());

  it("green is reachable only with the header until traffic moves at once; blue goes after the bake; the next release goes back the other way", async () => {
    const s = await shop(h, "bg");
    await deployService(step(blueGreenFixture, { service: "bg" }), context(h, s), runOptions({ override: "shop-web:1" }));
    const seen: Record<string, string> = {};
    const watched = new WatchedJournal(journal(), async (stage) => {
      seen[stage] = `plain ${JSON.stringify(await revisionShares(h, s))} header ${JSON.stringify(await revisionShares(h, s, { headers: verifyHeader }))}`;
    });
    const { output } = await deployService(step(blueGreenFixture, { service: "bg" }), context(h, s, { journal: watched }), runOptions({ override: "shop-web:2" }));
    expect(output).toMatchObject({ status: "SUCCESSFUL", taskDefinitionArn: expect.stringMatching(/shop-web:2$/) });
    const v1 = '{"shop-web:1":1}';
    const v2 = '{"shop-web:2":1}';
    expect(seen).toEqual({
      "stage 1 green rollout 100%": `plain ${v1} header ${v1}`,
      "stage 2 verify": `plain ${v1} header ${v2}`,
      "stage 3 approval": `plain ${v1} header ${v2}`,
      "stage 4 traffic green 100%": `plain ${v2} header ${v2}`,
      "stage 5 pause 0.05s": `plain ${v2} header ${v2}`,
      "stage 6 clean": `plain ${v2} header ${v2}`,
    });
    expect(await settledState(h, s, "bg")).toEqual({ revision: "shop-web:2", problems: [] });
    // Blue/green alternates: green, on the canary group, is now the live stack.
    expect((await describeService(h, "shop-dev", "bg")).taskSets?.[0]?.loadBalancers?.[0]?.targetGroupArn).toBe(s.canary);

    const back = await deployService(step(blueGreenFixture, { service: "bg" }), context(h, s), runOptions({ override: "shop-web:1" }));
    expect(back.output?.status).toBe("SUCCESSFUL");
    expect(await settledState(h, s, "bg")).toEqual({ revision: "shop-web:1", problems: [] });
    expect((await describeService(h, "shop-dev", "bg")).taskSets?.[0]?.loadBalancers?.[0]?.targetGroupArn).toBe(s.primary);
  });
});
