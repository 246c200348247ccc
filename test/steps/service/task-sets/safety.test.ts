import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CreateServiceCommand, CreateTaskSetCommand } from "@aws-sdk/client-ecs";
import { ModifyRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ConflictError, InputError } from "../../../../src/errors.js";
import { deployService } from "../../../../steps/service/index.js";
import { loadServiceStep } from "../../../../steps/service/load.js";
import type { SimHarness } from "../../../support/sim.js";
import { describeService, network, shopDevSim } from "../../../sim/ecs-fixtures.js";
import { forwardTo } from "../../../sim/elbv2-world.js";
import { callsSince, resetCalls } from "../world.js";
import { canaryFixture, context, runOptions, settledState, shop, step } from "./world.js";

describe("task-set safety: limits, stale sets, other controllers, bad stages, throttling and faults", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.control("DELETE", "faults");
    await h.control("PUT", "throttling", { enabled: false });
  });

  it("refuses a service of the ECS controller with how to migrate, writing nothing", async () => {
    const s = await shop(h, "ecsctl");
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "shop-dev", serviceName: "ecsctl", taskDefinition: "shop-web:1", desiredCount: 0, launchType: "FARGATE", networkConfiguration: network }));
    await resetCalls(h);
    const error = await deployService(step(canaryFixture, { service: "ecsctl" }), context(h, s), runOptions({ override: "shop-web:2" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/uses the ECS deployment controller, but mode: canary drives task sets/);
    expect((error as ConflictError).hint).toMatch(/--deployment-controller type=EXTERNAL/);
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("with five task sets left by a crashed deployment (AWS's limit), cleans them — traffic first — and deploys without hitting the limit", async () => {
    const s = await shop(h, "stale");
    await deployService(step(canaryFixture, { service: "stale" }), context(h, s), runOptions({ override: "shop-web:1" }));
    for (let i = 0; i < 4; i++) {
      await h.clients.ecs.send(
        new CreateTaskSetCommand({ cluster: "shop-dev", service: "stale", taskDefinition: "shop-web:2", launchType: "FARGATE", networkConfiguration: network, loadBalancers: [{ targetGroupArn: s.canary, containerName: "web", containerPort: 8080 }], scale: { unit: "PERCENT", value: 50 }, externalId: `slipway/crashed-${i}/canary` }),
      );
    }
    await h.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: s.productionRuleArn, Actions: forwardTo([s.primary, 80], [s.canary, 20]) }));
    expect((await describeService(h, "shop-dev", "stale")).taskSets).toHaveLength(5);
    const opts = runOptions({ override: "shop-web:2" });
    const { output } = await deployService(step(canaryFixture, { service: "stale" }), context(h, s), opts);
    expect(output?.status).toBe("SUCCESSFUL");
    expect(await settledState(h, s, "stale")).toEqual({ revision: "shop-web:2", problems: [] });
    const done = opts.progress.lines.filter((l) => l.startsWith("note done: "));
    expect(done[0]).toMatch(/route 100% live \/ 0% other through rule/);
    expect(done.filter((l) => l.includes("stale, left by an earlier deployment"))).toHaveLength(4);
  });

  it("reports stage orders a schema cannot state, every one at once", () => {
    const error = (() => {
      try {
        loadServiceStep("test/fixtures/steps/service/bad-stages.service.yaml");
      } catch (e) {
        return e as InputError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error?.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      // Ordered by position: the list's own problems sit on its key, before its items.
      "/stages: mode: canary must end with one canaryClean stage.",
      "/stages: mode: canary needs exactly one primaryRollout stage; there are 0.",
      "/stages/0: trafficRouting comes before canaryRollout: there is no new task set yet.",
      "/stages/2: greenRollout is not a stage of mode: canary.",
    ]);
  });

  it("converges through ECS and ELB throttling and 5xx faults injected at every stage", async () => {
    const s = await shop(h, "noisy");
    await deployService(step(canaryFixture, { service: "noisy" }), context(h, s), runOptions({ override: "shop-web:1" }));
    await h.control("PUT", "throttling", { enabled: true });
    await h.control("PUT", "faults", { errorRate: 0.25, seed: 7 });
    await resetCalls(h);
    const { output } = await deployService(step(canaryFixture, { service: "noisy" }), context(h, s), runOptions({ override: "shop-web:2" }));
    const calls = await callsSince(h);
    await h.control("DELETE", "faults");
    expect(output?.status).toBe("SUCCESSFUL");
    expect(calls.faults).toBeGreaterThan(5);
    expect(await settledState(h, s, "noisy")).toEqual({ revision: "shop-web:2", problems: [] });
  });
});
