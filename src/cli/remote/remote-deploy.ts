import type { DeploymentDetail } from "../../api/views/deployment.js";
import type { DeploymentEvent } from "../../engine/store.js";
import { DeploymentFailedError, InputError, InterruptedError } from "../../errors.js";
import { finalStatuses, type DeploymentRun } from "../../releases/deployment-run.js";
import type { DeploymentPreview } from "../../releases/preview-deployment.js";
import type { Output } from "../output.js";
import { previewLines } from "../commands/preview-lines.js";
import { stopSignals } from "../signals.js";
import type { ApiClient } from "./api-client.js";
import { connect } from "./connect.js";
import { deploymentEvents, type StreamPosition } from "./event-stream.js";
import type { ServerOptions } from "./server-option.js";

interface DeployOptions extends ServerOptions {
  project: string;
  to?: string;
  json?: boolean;
  pollInterval?: string;
  dryRun?: boolean;
}

/** An event as a CI log shows it: AWS's time to the second, its kind unless it is a plain note, the message. */
export function eventLine(event: DeploymentEvent): string {
  const at = event.at.replace(/\.\d{3}Z$/, "Z");
  return event.type === "note" ? `${at} ${event.message}` : `${at} [${event.type}] ${event.message}`;
}

/** How long to wait before looking again at a run whose stream ended while it was not over (a server restarting). */
const notOverWaitMs = 2000;

/**
 * Follows a deployment the server runs until it ends, printing its events. Ctrl-C (or SIGTERM: a CI job cancelled)
 * stops following, not the deployment: it goes on at the server, which is what a runner that goes away needs.
 */
async function follow(api: ApiClient, id: string, say: (line: string) => void): Promise<DeploymentRun> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  for (const signal of stopSignals) process.on(signal, onSignal);
  const position: StreamPosition = {};
  try {
    for (;;) {
      for await (const event of deploymentEvents(api, id, position, stop.signal, (reason) => say(`lost the server's event stream (${reason}); reconnecting`))) say(eventLine(event));
      if (stop.signal.aborted) {
        throw new InterruptedError(`Stopped following deployment ${id}; it goes on at ${api.where}.`, `\`slipway status\` shows it, \`slipway abort ${id}\` stops it (both with the same --server).`);
      }
      const { run } = await api.get<DeploymentDetail>(`deployments/${encodeURIComponent(id)}`);
      if (finalStatuses.includes(run.status)) return run;
      // Interrupted by a server that stopped: the server resumes it when it starts again.
      say(`deployment ${id} is ${run.status} at the server; waiting for it to go on`);
      await new Promise((resolve) => setTimeout(resolve, notOverWaitMs));
    }
  } finally {
    for (const signal of stopSignals) process.off(signal, onSignal);
  }
}

/** deploy and promote through a server: the server's runner deploys; this command follows it to the end. */
async function deployThroughServer(release: string, io: Output, opts: DeployOptions): Promise<void> {
  if (opts.pollInterval !== undefined) throw new InputError("--poll-interval is the server's to set when it works through a server.", "Leave it out; `slipway serve --poll-interval` sets it for the deployments the server runs.");
  const { api } = await connect(opts);
  const request = { release, ...(opts.to !== undefined && { environment: opts.to }) };
  if (opts.dryRun) {
    const preview = await api.post<DeploymentPreview>("deployments", { ...request, dryRun: true });
    if (opts.json) io.out(JSON.stringify(preview, null, 2));
    else for (const line of previewLines(preview)) io.out(line);
    return;
  }
  const say = opts.json ? io.err : io.out;
  const started = await api.post<DeploymentRun>("deployments", request);
  say(`deploying release ${started.release ?? release} to ${started.environment} at ${api.where}: deployment ${started.id} (the server runs it; Ctrl-C stops following, not the deployment)`);
  const run = await follow(api, started.id, say);
  if (run.status !== "succeeded") {
    throw new DeploymentFailedError(run.error?.message ?? `Deployment ${run.id} of release ${release} to ${run.environment} ended ${run.status}.`, run.error?.hint ?? `\`slipway history --env ${run.environment}\` shows what happened.`);
  }
  if (opts.json) io.out(JSON.stringify(run, null, 2));
  else io.out(`release ${run.release ?? release} is deployed to ${run.environment} (deployment ${run.id})`);
}

/** `slipway deploy` through a server. */
export const deployAction = (io: Output) => (release: string, opts: DeployOptions) => deployThroughServer(release, io, opts);

/** `slipway promote` through a server: without --to, the server picks the next environment of the lifecycle. */
export const promoteAction = (io: Output) => (release: string, opts: DeployOptions) => deployThroughServer(release, io, opts);
