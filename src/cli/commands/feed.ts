import { createAwsClients, type AwsClients } from "../../aws/clients.js";
import { EcsTaskDefinitions, type TaskDefinitionReader } from "../../aws/task-definitions.js";
import { loadDeployableProject } from "../../config/load.js";
import { InputError } from "../../errors.js";
import { toAwsConnection } from "../../../targets/connection.js";
import { createFeedApp } from "../../../feed/app.js";
import { accessFrom } from "../../../feed/auth.js";
import { readKeysFile } from "../../../feed/keys-file.js";
import { projectSecretEnvironmentNames } from "../../releases/secret-names.js";
import { listenFeed } from "../../../feed/server.js";
import { parsePort } from "../flags.js";
import type { Output } from "../output.js";

interface ServeOptions {
  port: string;
  host: string;
  project: string;
  open?: boolean;
  keysFile?: string;
  freshSeconds: string;
  reconcileSeconds?: string;
}

function freshSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new InputError(`--fresh-seconds must be a number of seconds from 1 to 86400, got "${value}".`, "ECS allows about 20 reads a second; 30 (the default) keeps a busy feed well inside that.");
  return n;
}

function reconcileSeconds(value: string, fresh: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < fresh || n > 7 * 86_400) {
    throw new InputError(`--reconcile-seconds must be a number of seconds from --fresh-seconds (${fresh}) to 604800, got "${value}".`, "A whole listing of a family costs one ECS call per 100 revisions; the default, 10 × --fresh-seconds, keeps large accounts inside ECS's read budget.");
  }
  return n;
}

/** The action of `serve` (its definition, loaded at start, is in feed-command.ts). */
export const serveAction = (io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>) =>
  async (opts: ServeOptions) => {
    // Every option is checked before anything is read or bound, so a bad flag fails fast and says why.
    const listenPort = parsePort(opts.port, 4600);
    const freshMs = freshSeconds(opts.freshSeconds) * 1000;
    const reconcileMs = opts.reconcileSeconds === undefined ? undefined : reconcileSeconds(opts.reconcileSeconds, freshMs / 1000) * 1000;
    const auth = accessFrom({ open: opts.open === true, keys: opts.keysFile === undefined ? undefined : readKeysFile(opts.keysFile), host: opts.host });
    // The process too (its step files checked): its secret variables name the environment entries to mask.
    const { project, targets, process: deploymentProcess } = loadDeployableProject(opts.project);
    const secretEnvironmentNames = projectSecretEnvironmentNames(deploymentProcess);
    const clients: AwsClients[] = [];
    const sources = new Map<string, TaskDefinitionReader>();
    for (const environment of project.lifecycle.names) {
      const target = targets.get(environment);
      if (!target) continue;
      const aws = createAwsClients(toAwsConnection(target));
      clients.push(aws);
      sources.set(environment, new EcsTaskDefinitions(aws.ecs));
    }
    const destroyClients = () => clients.forEach((c) => c.destroy());
    let running;
    try {
      const app = createFeedApp({ sources, auth, freshMs, ...(reconcileMs !== undefined && { reconcileMs }), secretEnvironmentNames, channels: deploymentProcess.channels, log: io.err });
      running = await listenFeed(app, listenPort, opts.host);
    } catch (error) {
      destroyClients();
      throw error;
    }
    io.out(`slipway feed for ${project.name} listening on ${running.url} (${auth.kind === "open" ? "open, no keys" : `${auth.keys.length} read key(s)`}, fresh for ${freshMs / 1000} s)`);
    for (const environment of sources.keys()) io.out(`  ${environment}: ${running.url}/v1/environments/${environment}/packages`);
    io.out(`The API is described at ${running.url}/openapi.json; press Ctrl-C to stop.`);
    const stop = running.close;
    await keepAlive(async () => {
      await stop();
      destroyClients();
    });
  };
