import type { DeploymentRun } from "../../releases/deployment-run.js";
import { resumeDeployment, startDeployment, type DeployingProject } from "../../releases/deployments.js";
import { previewDeployment } from "../../releases/preview-deployment.js";
import { previewLines } from "./preview-lines.js";
import type { RunDeploymentOptions } from "../../releases/run-deployment.js";
import { processOutput, type Output } from "../output.js";
import { stopOnSignal } from "../interrupt.js";
import { isInteractive, progressFor } from "../progress.js";
import { pacingFrom } from "./service-project.js";
import { cliActor, withProjectStore } from "./project-store.js";

interface DeployOptions {
  project: string;
  to?: string;
  json?: boolean;
  pollInterval?: string;
  dryRun?: boolean;
}

type WatchOptions = Omit<RunDeploymentOptions, "store" | "release" | "run" | "target" | "clients" | "locks">;

/**
 * How a command watches a run: progress on the terminal (stderr with --json), Ctrl-C stops it at a safe point.
 * `pacing` was read from the flags before anything was recorded: a bad flag must not leave a run behind.
 */
async function watched(io: Output, opts: DeployOptions, pacing: WatchOptions["pacing"], work: (options: WatchOptions) => Promise<DeploymentRun>): Promise<void> {
  const json = opts.json ?? false;
  const say = json ? io.err : io.out;
  const stop = stopOnSignal(io);
  try {
    const run = await work({ progress: progressFor(io, { json, interactive: isInteractive(io, processOutput) }), say, signal: stop.signal, ...(pacing && { pacing }) });
    if (json) io.out(JSON.stringify(run, null, 2));
    else io.out(`release ${run.release} is deployed to ${run.environment} (deployment ${run.id})`);
  } finally {
    stop.dispose();
  }
}

async function deployRelease(p: DeployingProject, release: string, to: string | undefined, io: Output, opts: DeployOptions): Promise<void> {
  if (opts.dryRun) {
    const preview = await previewDeployment(p, { release, ...(to !== undefined && { environment: to }) });
    if (opts.json) io.out(JSON.stringify(preview, null, 2));
    else for (const line of previewLines(preview)) io.out(line);
    return;
  }
  const pacing = pacingFrom(opts);
  const started = await startDeployment(p, { release, ...(to !== undefined && { environment: to }), actor: cliActor() });
  (opts.json ? io.err : io.out)(`deploying release ${started.release.version} to ${started.run.environment}: deployment ${started.run.id} (if interrupted: slipway resume ${started.run.id})`);
  await watched(io, opts, pacing, (options) => started.execute(options));
}



/** The action of `deploy` (its definition, loaded at start, is in deploy-command.ts). */
export const deployAction = (io: Output) =>
  (release: string, opts: DeployOptions) => withProjectStore(opts.project, (p) => deployRelease(p.deploying, release, opts.to, io, opts));

/** The action of `promote` (its definition, loaded at start, is in deploy-command.ts). */
export const promoteAction = (io: Output) =>
  (release: string, opts: DeployOptions) => withProjectStore(opts.project, (p) => deployRelease(p.deploying, release, opts.to, io, opts));

/** `slipway resume <id>` for a deployment of a release; service-step deployments keep their own path (resume.ts). */
export async function resumeReleaseDeployment(p: DeployingProject, id: string, io: Output, opts: DeployOptions): Promise<void> {
  const pacing = pacingFrom(opts);
  io.out(`resuming deployment ${id}`);
  await watched(io, opts, pacing, (options) => resumeDeployment(p, id, options));
}
