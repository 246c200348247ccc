import { describe, expect, it } from "vitest";
import { Simulator } from "../../src/sim/simulator.js";
import { HOOK_STAGES } from "../../src/sim/ecs/native-settings.js";
import { botocoreModel, type ApiModel } from "../support/aws-model.js";

/**
 * The simulator's ECS against AWS's own model (botocore's, in .venv/): every operation it serves is one AWS has, and
 * the native strategies' requests and enums are the model's. Skipped when .venv/ has no botocore.
 */
const model = botocoreModel("ecs", "2014-11-13") as (ApiModel & { operations: Record<string, { input?: { shape: string } }> }) | undefined;
const shape = (name: string) => model?.shapes[name];

describe.skipIf(!model)("the simulated ECS against AWS's model", () => {
  it("serves only operations AWS has, ContinueServiceDeployment and StopServiceDeployment among them", () => {
    const served = Object.keys(new Simulator().ecs.operations);
    expect(served.filter((op) => !(op in (model?.operations ?? {})))).toEqual([]);
    expect(served).toEqual(expect.arrayContaining(["ContinueServiceDeployment", "StopServiceDeployment", "DescribeServiceDeployments"]));
  });

  it("reads the members the model gives the new operations, and requires what it requires", () => {
    const cont = shape(model?.operations.ContinueServiceDeployment?.input?.shape ?? "");
    expect(Object.keys(cont?.members ?? {}).sort()).toEqual(["action", "hookId", "serviceDeploymentArn"]);
    expect(cont?.required?.sort()).toEqual(["hookId", "serviceDeploymentArn"]);
    expect(shape(cont?.members?.action?.shape ?? "")?.enum?.sort()).toEqual(["CONTINUE", "ROLLBACK"]);
    const stop = shape(model?.operations.StopServiceDeployment?.input?.shape ?? "");
    expect(Object.keys(stop?.members ?? {}).sort()).toEqual(["serviceDeploymentArn", "stopType"]);
    expect(shape(stop?.members?.stopType?.shape ?? "")?.enum).toContain("ROLLBACK");
  });

  it("uses the model's strategies, hook stages, hook statuses and deployment fields", () => {
    expect(shape("DeploymentStrategy")?.enum?.sort()).toEqual(["BLUE_GREEN", "CANARY", "LINEAR", "ROLLING"]);
    expect(shape("DeploymentLifecycleHookStage")?.enum).toEqual([...HOOK_STAGES]);
    expect(shape("DeploymentLifecycleHookStatus")?.enum?.sort()).toEqual(["AWAITING_ACTION", "FAILED", "IN_PROGRESS", "SUCCEEDED", "TIMED_OUT"]);
    // The record's stages are the model's, plus PRE_PRODUCTION_TRAFFIC_SHIFT, which its doc string describes but
    // its enum lacks (native-strategies.md): the one departure.
    const stages = shape("ServiceDeploymentLifecycleStage")?.enum ?? [];
    expect([...HOOK_STAGES, "SCALE_UP", "BAKE_TIME", "CLEAN_UP"].filter((s) => !stages.includes(s))).toEqual(["PRE_PRODUCTION_TRAFFIC_SHIFT"]);
    expect(Object.keys(shape("ServiceDeployment")?.members ?? {})).toEqual(expect.arrayContaining(["lifecycleStage", "lifecycleHookDetails", "rollback"]));
    expect(Object.keys(shape("ServiceRevisionSummary")?.members ?? {})).toEqual(expect.arrayContaining(["requestedProductionTrafficWeight", "requestedTestTrafficWeight"]));
    expect(Object.keys(shape("AdvancedConfiguration")?.members ?? {}).sort()).toEqual(["alternateTargetGroupArn", "productionListenerRule", "roleArn", "testListenerRule"]);
    expect(shape("DeploymentLifecycleHookDuration")).toMatchObject({ min: 1, max: 20160 });
  });
});
