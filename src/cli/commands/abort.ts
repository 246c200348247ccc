import { runnerGone } from "../../api/resume-runs.js";
import type { Store } from "../../engine/store.js";
import { requestAbort } from "../../releases/abort-request.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { resumeDeployment, type DeployingProject } from "../../releases/deployments.js";
import type { TaskSetRunOptions } from "../../../steps/service/task-sets/index.js";
import { stopOnSignal } from "../interrupt.js";
import type { Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { processOutput } from "../output.js";
import { deciderName, decideFromCli } from "./approve.js";
import { cliActor, withProjectStore, withStore } from "./project-store.js";
import { pacingFrom } from "./service-project.js";

interface AbortOptions {
  project: string;
  stage?: string;
  as?: string;
  reason?: string;
  pollInterval?: string;
}

/** No process runs it — interrupted, or its runner is gone — so whoever aborts it carries the rollback out. */
const nobodyRuns = (run: DeploymentRun) => run.status === "interrupted" || runnerGone(run);

/** How an abort that was carried out ends: rolled back, or aborted when the run had changed nothing yet. */
export const endedByAbort = (run: DeploymentRun | undefined) => run?.status === "rolled-back" || run?.status === "aborted";

/**
 * Asks a deployment to stop and roll back, as the CLI's user. Returns the run when no process runs it
 * (interrupted, or its runner is gone), so this process carries the rollback out; undefined when its runner will,
 * at its next safe point.
 */
export async function abortFromCli(store: Store, run: DeploymentRun, by: string, reason: string | undefined): Promise<DeploymentRun | undefined> {
  await requestAbort(store, run, { by, ...(reason !== undefined && { reason }), actor: cliActor(), detail: { as: by } });
  return nobodyRuns(run) ? run : undefined;
}

/**
 * Rolls back an aborted deployment no process runs, from its journal: this process resumes it, the run finds the
 * abort before its next step and undoes what it changed. Waits until the services are back; Ctrl-C stops it
 * (resumable) like any deployment.
 */
export async function carryOutAbort(deploying: DeployingProject, store: Store, run: DeploymentRun, io: Output, pacing: TaskSetRunOptions["pacing"] | undefined): Promise<void> {
  io.out(`aborting deployment ${run.id} (${run.status}): rolling back what it changed`);
  const stop = stopOnSignal(io);
  try {
    await resumeDeployment(deploying, run.id, { progress: progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }), say: io.out, signal: stop.signal, ...(pacing && { pacing }) });
  } catch (error) {
    // The run ends rolled-back (or aborted, with nothing changed) by design: that is this command's success.
    const ended = await store.runs.get(run.id);
    if (!ended || !endedByAbort(ended)) throw error;
    io.out(ended.error?.message ?? `deployment ${run.id} ${ended.status}`);
  } finally {
    stop.dispose();
  }
}

/**
 * `slipway abort <deployment>` at any moment. At an open gate it decides the gate "aborted" and the deployment's
 * runner rolls back. With no gate open it asks the deployment to stop at its next safe point and roll back what it
 * changed: its runner does that when one runs it; for an interrupted deployment (Ctrl-C, a closed terminal) this
 * command does it, and waits until the services are back.
 * Its definition, loaded at start, is in abort-command.ts.
 */
export const abortAction = (io: Output) =>
  async (id: string, opts: AbortOptions) => {
    const by = deciderName(opts.as);
    const pacing = pacingFrom(opts);
    // The store alone first: a gate to decide (a service step's deployment has gates and no run) needs no more.
    const toCarryOut = await withStore(opts.project, async (store) => {
      const run = await store.runs.get(id);
      const open = (await store.approvals.list({ open: true })).filter((g) => g.deploymentId === id);
      if (!run || open.length > 0 || opts.stage !== undefined) {
        await decideFromCli(store, io, id, "aborted", by, opts);
        // Interrupted at its gate: nobody would act on the decision, so this command rolls it back.
        return run && nobodyRuns(run) ? run : undefined;
      }
      const here = await abortFromCli(store, run, by, opts.reason);
      if (!here) io.out(`abort requested: deployment ${id} (${run.status} in process ${run.runner?.pid ?? "?"} on ${run.runner?.host ?? "?"}) stops at its next safe point and rolls back what it changed; \`slipway status\` shows when it has`);
      return here;
    });
    if (!toCarryOut) return;
    await withProjectStore(opts.project, ({ store, deploying }) => carryOutAbort(deploying, store, toCarryOut, io, pacing));
  };
