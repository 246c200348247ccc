import { CreateTaskSetCommand } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { ConflictError } from "../../../../src/errors.js";
import { deployService } from "../../../../steps/service/deploy.js";
import { deployNative } from "../../../../steps/service/native/deploy.js";
import { describeService } from "../../../sim/ecs-fixtures.js";
import { approvalsStore, context, greenShare, nativeShop, nativeStep, runOptions, type NativeShop } from "./world.js";

/**
 * Moving a service onto ECS's own strategies in place (issue 18 point 4): from rolling updates (the same
 * controller: one UpdateService carries the strategy) and from slipway's task sets (the EXTERNAL controller, which
 * AWS lets UpdateService change to ECS when one primary task set is left), each planned before any write.
 */
let shop: NativeShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const quickCanary = [{ canaryRollout: { scale: 100 } }, { trafficRouting: { canary: 100 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { canaryClean: {} }];

describe("moving a service to ECS's own strategies", () => {
  it("takes a rolling service to ecs-blue-green in place: the plan says so, ECS then shifts traffic to the new group", { timeout: 60_000 }, async () => {
    const s = (shop = await nativeShop());
    const rolling = nativeStep({ mode: "rolling", deployment: { circuitBreaker: { enable: true, rollback: true } }, taskDefinition: s.v1 });
    const { verification: _none, ...plain } = rolling.raw;
    await deployService({ ...rolling, raw: plain }, context(s), runOptions(approvalsStore()));
    expect(await greenShare(s, s.blue, false)).toBe(100);

    let diff: string[] = [];
    const { output } = await deployNative(nativeStep({ mode: "ecs-blue-green", taskDefinition: s.v2 }), context(s), { ...runOptions(approvalsStore()), onPlan: (p) => (diff = p.diff) });
    expect(diff).toContainEqual(expect.stringMatching(/^deployment strategy: ROLLING → BLUE_GREEN, bake 0 min$/));
    expect(output?.status).toBe("SUCCESSFUL");
    const service = await describeService(s.h, "shop-dev", "shop-web");
    expect(service.deploymentController?.type).toBe("ECS");
    expect(service.deploymentConfiguration?.strategy).toBe("BLUE_GREEN");
    expect(service.taskDefinition).toBe(s.v2);
    expect(await greenShare(s, s.green, false)).toBe(100);
  });

  it("takes a task-set canary service to ecs-canary in place: EXTERNAL → ECS, its primary task set becoming the deployment ECS shifts from", { timeout: 60_000 }, async () => {
    const s = (shop = await nativeShop());
    const taskSets = nativeStep({ mode: "canary", stages: quickCanary, taskDefinition: s.v1 });
    const { verification: _none, deployment: _bake, ...raw } = taskSets.raw;
    await deployService({ ...taskSets, raw }, context(s), runOptions(approvalsStore()));
    await deployService({ ...taskSets, raw: { ...raw, taskDefinition: s.v2 } }, context(s), runOptions(approvalsStore()));
    expect((await describeService(s.h, "shop-dev", "shop-web")).deploymentController?.type).toBe("EXTERNAL");
    const live = (await greenShare(s, s.blue, false)) === 100 ? s.blue : s.green;

    let diff: string[] = [];
    const { output } = await deployNative(nativeStep({ mode: "ecs-canary", deployment: { bakeTimeInMinutes: 0, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 } }, taskDefinition: s.v1 }), context(s), { ...runOptions(approvalsStore()), onPlan: (p) => (diff = p.diff) });
    expect(diff).toContainEqual(expect.stringMatching(/^deployment controller: EXTERNAL \(task sets\) → ECS .*shop-web:2/));
    expect(output?.status).toBe("SUCCESSFUL");
    const service = await describeService(s.h, "shop-dev", "shop-web");
    expect(service.deploymentController?.type).toBe("ECS");
    expect(service.deploymentConfiguration?.strategy).toBe("CANARY");
    expect(service.taskDefinition).toBe(s.v1);
    expect(await greenShare(s, live === s.blue ? s.green : s.blue, false)).toBe(100);
  });

  it("refuses an EXTERNAL service with a task-set deployment unfinished, before any write", { timeout: 60_000 }, async () => {
    const s = (shop = await nativeShop());
    const taskSets = nativeStep({ mode: "canary", stages: quickCanary, taskDefinition: s.v1 });
    const { verification: _none, deployment: _bake, ...raw } = taskSets.raw;
    await deployService({ ...taskSets, raw }, context(s), runOptions(approvalsStore()));
    await s.h.clients.ecs.send(new CreateTaskSetCommand({ cluster: "shop-dev", service: "shop-web", taskDefinition: s.v2, launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-aaa"] } }, scale: { unit: "PERCENT", value: 10 } }));
    const before = await describeService(s.h, "shop-dev", "shop-web");
    const refused = await deployNative(nativeStep({ mode: "ecs-canary", taskDefinition: s.v2 }), context(s), runOptions(approvalsStore())).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toMatch(/has 2 task sets: a task-set deployment has not finished/);
    const after = await describeService(s.h, "shop-dev", "shop-web");
    expect(after.deploymentController?.type).toBe("EXTERNAL");
    expect(after.taskSets?.length).toBe(before.taskSets?.length);
  });
});
