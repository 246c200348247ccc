import type { DeploymentDetail } from "../../api/views/deployment.js";
import type { DeploymentEvent } from "../../engine/store.js";
import { InterruptedError } from "../../errors.js";
import { finalStatuses, type DeploymentRun } from "../../releases/deployment-run.js";
import { stopSignals } from "../signals.js";
import type { ApiClient } from "./api-client.js";
import { deploymentEvents, type StreamPosition } from "./event-stream.js";

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
export async function follow(api: ApiClient, id: string, say: (line: string) => void): Promise<DeploymentRun> {
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

