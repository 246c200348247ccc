import type { StepContext } from "../step.js";
import type { AbortOutcome } from "./abort-outcome.js";
import type { ServiceRunOptions } from "./deploy.js";
import { settingsFor } from "./input.js";
import type { LoadedServiceStep } from "./load.js";
import { abortNative } from "./native/abort.js";
import { isNativeMode } from "./native/settings.js";
import { abortRolling } from "./rolling/abort.js";
import { abortTaskSets } from "./task-sets/abort.js";
import type { TaskSetRunOptions } from "./task-sets/deploy.js";

/**
 * Undoes what this deployment (ctx.deploymentId) did to the step's service, by the mode's own rollback, whatever
 * it had reached: a person aborted it. Kept out of the ServiceMode interface so that modes.ts — which the deploy
 * path imports — does not import what imports the deploy path.
 */
export function abortServiceStep(loaded: LoadedServiceStep, ctx: StepContext, options: TaskSetRunOptions & ServiceRunOptions, reason: string): Promise<AbortOutcome> {
  const { mode } = settingsFor(loaded.raw, ctx.target.environment);
  if (isNativeMode(mode)) return abortNative(loaded, ctx, options, reason);
  return mode === "rolling" ? abortRolling(loaded, ctx, options, reason) : abortTaskSets(loaded, ctx, options, reason);
}

export type { AbortOutcome } from "./abort-outcome.js";
