import { createApiApp } from "../../api/app.js";
import type { RunOptions } from "../../api/background.js";
import { feedSourcesOf } from "../../api/feed-mount.js";
import { resumeOrphanedRuns } from "../../api/resume-runs.js";
import { createAwsClients, type AwsClients } from "../../aws/clients.js";
import { InputError } from "../../errors.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { toAwsConnection } from "../../../targets/connection.js";
import { isLoopbackHost } from "../../../feed/auth.js";
import { listenFeed } from "../../../feed/server.js";
import { parsePort } from "../flags.js";
import type { Output } from "../output.js";
import { cliActor, withProjectStore } from "./project-store.js";
import { pacingFrom } from "./service-project.js";

interface ServeOptions {
  project: string;
  port: string;
  host: string;
  open?: boolean;
  pollInterval?: string;
}

/** --open lets anyone who reaches the server deploy everywhere: loopback only, as the feed's --open. */
function checkOpen(open: boolean, host: string): void {
  if (open && !isLoopbackHost(host)) {
    throw new InputError(
      `--open is refused on ${host}: anyone who can reach that address could create releases and deploy to every environment.`,
      "Listen on loopback (--host 127.0.0.1) with --open, or leave --open out and give each caller a key (`slipway keys create`).",
    );
  }
}

/**
 * `slipway serve`: the HTTP API and the feed, until Ctrl-C. On start it resumes the deployments a previous server
 * (or a closed terminal) left in progress; on Ctrl-C or SIGTERM the deployments running here stop at their next
 * safe point — interrupted, to be resumed by the next start — and the store is closed.
 * Its definition, loaded at start, is in serve-command.ts.
 */
export const serveAction = (io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>) =>
  async (opts: ServeOptions) => {
    // Every option is checked before anything is read or bound, so a bad flag fails fast and says why.
    const port = parsePort(opts.port, 4600);
    const open = opts.open === true;
    checkOpen(open, opts.host);
    const pacing = pacingFrom(opts);
    const runOptions: RunOptions = { ...(pacing && { pacing }) };
    await withProjectStore(opts.project, async (p) => {
      const { project, targets } = p.loaded;
      const stopping = new AbortController();
      const inFlight = new Set<Promise<unknown>>();
      const onRunStarted = (_run: DeploymentRun, settled: Promise<unknown>) => {
        inFlight.add(settled);
        void settled.finally(() => inFlight.delete(settled));
      };
      const feedClients: AwsClients[] = [];
      const feedSources = feedSourcesOf({
        project: { name: project.name, lifecycle: project.lifecycle, targets, process: p.process },
        clientsFor: (target) => {
          const clients = createAwsClients(toAwsConnection(target));
          feedClients.push(clients);
          return clients;
        },
      });
      const app = createApiApp({
        store: p.store,
        project: { name: project.name, lifecycle: project.lifecycle, targets, process: p.process },
        clientsFor: p.deploying.clientsFor,
        auth: { open, login: cliActor().slice("cli:".length) },
        signal: stopping.signal,
        runOptions,
        onRunStarted,
        feedSources,
        log: io.err,
      });
      let running;
      try {
        running = await listenFeed(app, port, opts.host);
      } catch (error) {
        feedClients.forEach((c) => c.destroy());
        throw error;
      }
      io.out(`slipway API for ${project.name} listening on ${running.url} (${open ? "open: no keys, loopback only" : "API keys required"}; store: ${p.store.location})`);
      io.out(`  API: ${running.url}/api/v1, described at ${running.url}/openapi.json; feed: ${running.url}/feed/v1`);
      try {
        await resumeOrphanedRuns(p.deploying, { log: io.err, signal: stopping.signal, runOptions, onRunStarted }, io.out);
      } catch (error) {
        // Serving without having looked at the deployments left behind would hide them: stop, saying why.
        await running.close();
        feedClients.forEach((c) => c.destroy());
        throw error;
      }
      io.out("Press Ctrl-C to stop: deployments in progress stop at their next safe point and resume when the server starts again.");
      await keepAlive(async () => {
        // No new request (nor deployment) first; then the runs stop at their next safe point, interrupted.
        await running.close();
        const count = inFlight.size;
        if (count > 0) io.err(`stopping ${count} deployment(s) in progress at their next safe point; the next \`slipway serve\` resumes them`);
        stopping.abort();
        await Promise.all(inFlight);
        feedClients.forEach((c) => c.destroy());
      });
    });
  };
