import { AwsCallError, SlipwayError } from "../errors.js";
import type { Action, Plan } from "./plan.js";
import { succeededResult, type Journal } from "./journal.js";

export interface ExecutionContext {
  deploymentId: string;
  journal: Journal;
  /** Told about each action as it starts and ends, for progress output. */
  onProgress?: (event: { action: Action; phase: "started" | "succeeded" | "skipped" | "failed"; error?: unknown }) => void;
}

export interface ExecutedAction<A extends Action> {
  action: A;
  result: unknown;
  /** True when the journal showed it had already succeeded in an earlier run of this deployment. */
  resumed: boolean;
}

/**
 * Applies a plan's actions one at a time, journalling each before and after. An action the journal already
 * shows as succeeded is not run again — its recorded result is reused — so re-running a deployment after a
 * crash continues where it stopped.
 */
export async function executePlan<A extends Action>(
  plan: Plan<A>,
  apply: (action: A) => Promise<unknown>,
  ctx: ExecutionContext,
): Promise<ExecutedAction<A>[]> {
  const done: ExecutedAction<A>[] = [];
  const history = await ctx.journal.entries(ctx.deploymentId);
  for (const action of plan.actions) {
    const previous = succeededResult(history, plan.step, action.key);
    if (previous.found) {
      ctx.onProgress?.({ action, phase: "skipped" });
      done.push({ action, result: previous.result, resumed: true });
      continue;
    }
    const base = { deploymentId: ctx.deploymentId, step: plan.step, actionKey: action.key, actionKind: action.kind, summary: action.summary };
    await ctx.journal.append({ ...base, phase: "started" });
    ctx.onProgress?.({ action, phase: "started" });
    try {
      const result = await apply(action);
      await ctx.journal.append({ ...base, phase: "succeeded", result });
      ctx.onProgress?.({ action, phase: "succeeded" });
      done.push({ action, result, resumed: false });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await ctx.journal.append({ ...base, phase: "failed", error: message });
      ctx.onProgress?.({ action, phase: "failed", error });
      throw error instanceof SlipwayError ? error : new AwsCallError(action.kind, action.summary, error);
    }
  }
  return done;
}
