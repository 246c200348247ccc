import { ConflictError } from "../../../src/errors.js";
import type { ServiceMode } from "../mode.js";
import { revisionLabel } from "../state.js";
import { deployWithTaskSets } from "./deploy.js";
import { refuseForTaskSets } from "./refuse.js";
import type { Strategy } from "./stages.js";

function notThroughRollout(strategy: Strategy): never {
  throw new Error(`mode: ${strategy} walks its stages in deploy(); plan/apply/wait belong to single-write modes. This is a bug in slipway.`);
}

/**
 * The task-set modes (issue 5): canary (seed 000's three task sets, method B) and blue/green over an EXTERNAL
 * service. They walk stages, wait on approval gates and roll themselves back, so they take over the whole deploy
 * (ServiceMode.deploy) rather than making one write for the generic flow to watch.
 */
function taskSetMode(strategy: Strategy): ServiceMode {
  return {
    name: strategy,
    controller: "EXTERNAL",
    refuseUnmanageable: (current) => refuseForTaskSets(current, strategy),
    deploy: (loaded, ctx, options) => deployWithTaskSets(loaded, ctx, options),
    plan: () => notThroughRollout(strategy),
    apply: () => notThroughRollout(strategy),
    wait: () => notThroughRollout(strategy),
    rollback(current, to) {
      // A failed canary or blue/green rolls itself back; returning a finished one is a deploy like any other, through the same stages.
      throw new ConflictError(
        `mode: ${strategy} does not roll a finished deployment back in one step: it would skip the canary's safety. ${current.name} runs ${revisionLabel(current.taskDefinitionArn)}; its previous successful revision is ${revisionLabel(to)}.`,
        `Deploy ${revisionLabel(to)} through the same stages: slipway service deploy <service-step-file> --env <env> --task-definition ${revisionLabel(to)}`,
      );
    },
  };
}

export const canaryMode = taskSetMode("canary");
export const blueGreenMode = taskSetMode("blue-green");
export { deployWithTaskSets, type TaskSetRunOptions } from "./deploy.js";
