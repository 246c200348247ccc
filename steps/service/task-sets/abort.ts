import { succeededResult } from "../../../src/engine/journal.js";
import type { StepContext } from "../../step.js";
import type { AbortOutcome } from "../abort-outcome.js";
import { settingsFor } from "../input.js";
import type { LoadedServiceStep } from "../load.js";
import { revisionLabel } from "../state.js";
import { driverFor, record, recordOnce, type TaskSetRunOptions } from "./deploy.js";
import { stepOf, type DeploymentFacts } from "./facts.js";
import { finishRollback, markers } from "./machine.js";

/**
 * A person aborted the deployment: whatever stage this step reached — or finished, with a later step of the run
 * aborted — the service goes back to how the deployment found it, by the same rollback a failure takes (traffic
 * first, then capacity). Read from the journal, so it serves a deployment that runs now, one that was interrupted,
 * and one killed mid-rollback alike.
 */
export async function abortTaskSets(loaded: LoadedServiceStep, ctx: StepContext, options: TaskSetRunOptions, reason: string): Promise<AbortOutcome> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const service = settings.service;
  const entries = await ctx.journal.entries(ctx.deploymentId);
  const recorded = succeededResult(entries, stepOf(service), markers.facts);
  if (!recorded.found) return { service, touched: false, summary: `${service}: this deployment had not changed it` };
  const facts = recorded.result as DeploymentFacts;
  const driver = driverFor(facts, ctx, options, settings);
  const began = (await driver.marked(markers.rollbackBegun)).found;
  if (!began) {
    driver.note(`${reason}; rolling back`);
    await driver.mark(markers.rollbackBegun, `roll back: ${reason}`, { reason });
  }
  const outcome = await finishRollback(driver, facts, reason);
  await recordOnce(options.records, record(facts, outcome, await driver.observe(), ctx.clients.clock.now()));
  const back = facts.previous ? `back on ${revisionLabel(facts.previous.taskDefinition)} with all traffic` : "its first deployment removed";
  return { service, touched: true, summary: `${service} ${back}` };
}
