import { ConflictError } from "../../../src/errors.js";
import type { ServiceMode } from "../mode.js";
import { refuseUnmanageable } from "../rolling/plan.js";
import { revisionLabel } from "../state.js";
import { deployNative } from "./deploy.js";
import type { NativeModeName } from "./settings.js";

function notThroughRollout(name: string): never {
  throw new Error(`mode: ${name} watches ECS's lifecycle in deploy(); plan/apply/wait belong to single-write modes. This is a bug in slipway.`);
}

/**
 * ECS's own blue/green, linear and canary (the ECS controller with a deployment strategy): ECS walks the lifecycle
 * and shifts traffic; slipway plans the write, then watches and does its part at ECS's pauses, so it takes over the
 * whole deploy (ServiceMode.deploy) like the task-set modes.
 */
function nativeMode(name: NativeModeName): ServiceMode {
  return {
    name,
    controller: "ECS",
    refuseUnmanageable,
    deploy: (loaded, ctx, options) => deployNative(loaded, ctx, options),
    plan: () => notThroughRollout(name),
    apply: () => notThroughRollout(name),
    wait: () => notThroughRollout(name),
    rollback(current, to) {
      throw new ConflictError(
        `mode: ${name} returns a service to an earlier revision through ECS's own deployment (traffic shifted back, with its bake time), not in one write. ${current.name} runs ${revisionLabel(current.taskDefinitionArn)}; its previous successful revision is ${revisionLabel(to)}.`,
        `Roll the environment back to its last successful release: slipway rollback --env <env>. Or deploy ${revisionLabel(to)}: slipway service deploy <service-step-file> --env <env> --task-definition ${revisionLabel(to)}`,
      );
    },
  };
}

export const ecsBlueGreenMode = nativeMode("ecs-blue-green");
export const ecsLinearMode = nativeMode("ecs-linear");
export const ecsCanaryMode = nativeMode("ecs-canary");
