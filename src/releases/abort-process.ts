import type { AwsClients } from "../aws/clients.js";
import { ElbListenerRules } from "../aws/listener-rules.js";
import type { DeploymentRecords } from "../engine/deployment-records.js";
import type { Journal, JournalEntry } from "../engine/journal.js";
import type { Target } from "../../targets/target.js";
import { abortServiceStep, type AbortOutcome } from "../../steps/service/abort.js";
import type { DeploymentProgress } from "../../steps/service/progress.js";
import type { TaskSetRunOptions } from "../../steps/service/task-sets/index.js";
import { closeVerification, resolveVerificationListener } from "../../steps/verification/index.js";
import { runsIn } from "./process-steps.js";
import type { Release } from "./release.js";

export interface AbortProcessContext {
  release: Release;
  target: Target;
  clients: AwsClients;
  deploymentId: string;
  /** The run's journal, stopped only by Ctrl-C or a lost lock — never by the abort being carried out. */
  journal: Journal;
  records: DeploymentRecords;
  progress: DeploymentProgress;
  pacing?: TaskSetRunOptions["pacing"];
  signal?: AbortSignal;
}

/** Whether this run journalled anything under a step name starting with `prefix`: it reached that step. */
const reached = (entries: JournalEntry[], prefix: string) => entries.some((e) => e.step.startsWith(prefix));

/**
 * A person aborted the run: every step it reached is undone, last first — each service back to what it ran
 * before the run (through its mode's rollback, traffic before capacity), each verification step's rules closed.
 * Task definition revisions and secrets stay: they are unused, and retention removes them. Returns what was done
 * per service. Resumable: each undo is journalled in the run's journal, so a killed abort continues where it was.
 */
export async function abortProcess(ctx: AbortProcessContext, reason: string): Promise<AbortOutcome[]> {
  const { target } = ctx;
  const stepCtx = { target, clients: ctx.clients, deploymentId: ctx.deploymentId, journal: ctx.journal, release: ctx.release.version };
  const options = { progress: ctx.progress, records: ctx.records, ...(ctx.pacing && { pacing: ctx.pacing }), ...(ctx.signal && { signal: ctx.signal }) };
  const entries = await ctx.journal.entries(ctx.deploymentId);
  const outcomes: AbortOutcome[] = [];
  for (const step of [...ctx.release.snapshot.steps].reverse()) {
    if (!runsIn(step, target.environment)) continue;
    if (step.uses === "service") outcomes.push(await abortServiceStep({ file: step.file, raw: step.raw }, stepCtx, options, reason));
    if (step.uses === "verification" && reached(entries, `verification`)) {
      const port = new ElbListenerRules(ctx.clients.elbv2);
      const listener = await resolveVerificationListener(target, step.input.targetGroup, port);
      const closed = await closeVerification({ identity: { service: step.input.service, environment: target.environment, deploymentId: ctx.deploymentId }, listenerArn: listener.listenerArn }, port, { deploymentId: ctx.deploymentId, journal: ctx.journal });
      if (closed.deleted.length > 0) ctx.progress.note(`closed ${closed.deleted.length} verification rule(s) of ${step.input.service}`);
    }
  }
  return outcomes;
}
