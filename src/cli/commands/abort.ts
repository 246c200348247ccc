import type { Command } from "commander";
import { runnerGone } from "../../api/resume-runs.js";
import { ConflictError } from "../../errors.js";
import { finalStatuses } from "../../releases/deployment-run.js";
import { resumeDeployment } from "../../releases/deployments.js";
import { stopOnSignal } from "../interrupt.js";
import type { Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { processOutput } from "../output.js";
import { deciderName, decideFromCli, decisionOptions, withProject } from "./approve.js";
import { cliActor, withProjectStore, withStore } from "./project-store.js";
import { pacingFrom } from "./service-project.js";

interface AbortOptions {
  project: string;
  stage?: string;
  as?: string;
  reason?: string;
  pollInterval?: string;
}

/**
 * `slipway abort <deployment>` at any moment. At an open gate it decides the gate "aborted" and the deployment's
 * runner rolls back. With no gate open it asks the deployment to stop at its next safe point and roll back what it
 * changed: its runner does that when one runs it; for an interrupted deployment (Ctrl-C, a closed terminal) this
 * command does it, and waits until the services are back.
 */
export function registerAbort(program: Command, io: Output): void {
  decisionOptions(withProject(program.command("abort")), "aborts")
    .description("abort a deployment at any moment — at a gate, while it rolls out, pauses or shifts traffic, or after it was interrupted: it stops and what it changed goes back (status rolled-back)")
    .argument("<deployment>", "the deployment id (slipway status lists those in progress)")
    .option("--poll-interval <seconds>", "when this command rolls back an interrupted deployment: seconds between status polls (default: 5)")
    .action(async (id: string, opts: AbortOptions) => {
      const by = deciderName(opts.as);
      const pacing = pacingFrom(opts);
      // The store alone first: a gate to decide (a service step's deployment has gates and no run) needs no more.
      const toCarryOut = await withStore(opts.project, async (store) => {
        const run = await store.runs.get(id);
        const open = (await store.approvals.list({ open: true })).filter((g) => g.deploymentId === id);
        if (!run || open.length > 0 || opts.stage !== undefined) {
          await decideFromCli(store, io, id, "aborted", by, opts);
          return undefined;
        }
        if (finalStatuses.includes(run.status)) throw new ConflictError(`Deployment ${id} already ended: ${run.status}.`, "There is nothing left to abort.");
        if (run.kind === "rollback") throw new ConflictError(`Deployment ${id} is a rollback: ECS carries it out, and slipway has nothing to stop.`, "Wait for it to end, then deploy the release you want there.");
        await store.runs.requestAbort(id, { by, ...(opts.reason !== undefined && { reason: opts.reason }) });
        await store.audit.record({ actor: cliActor(), action: "deployment.abort", environment: run.environment, subject: id, detail: { requested: true, as: by, ...(opts.reason !== undefined && { reason: opts.reason }) } });
        if (run.status === "interrupted" || runnerGone(run)) return run;
        io.out(`abort requested: deployment ${id} (${run.status} in process ${run.runner?.pid ?? "?"} on ${run.runner?.host ?? "?"}) stops at its next safe point and rolls back what it changed; \`slipway status\` shows when it has`);
        return undefined;
      });
      if (!toCarryOut) return;
      // No process runs it: this one does, from its journal — the abort is found before its next step.
      await withProjectStore(opts.project, async ({ store, deploying }) => {
        io.out(`aborting deployment ${id} (${toCarryOut.status}): rolling back what it changed`);
        const stop = stopOnSignal(io);
        try {
          await resumeDeployment(deploying, id, { progress: progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }), say: io.out, signal: stop.signal, ...(pacing && { pacing }) });
        } catch (error) {
          // The run ends rolled-back (or aborted, with nothing changed) by design: that is this command's success.
          const ended = await store.runs.get(id);
          if (ended?.status !== "rolled-back" && ended?.status !== "aborted") throw error;
          io.out(ended.error?.message ?? `deployment ${id} ${ended.status}`);
        } finally {
          stop.dispose();
        }
      });
    });
}
