import type { Express } from "express";
import { createApiApp } from "../../src/api/app.js";
import { createApiKey } from "../../src/api/keys.js";
import { createAwsClients } from "../../src/aws/clients.js";
import { loadProject } from "../../src/config/load.js";
import { loadProjectProcess } from "../../src/config/load-process.js";
import type { Store } from "../../src/engine/store.js";
import { toAwsConnection } from "../../targets/connection.js";
import { scopes } from "./api-world.js";

/**
 * The API over a project the CLI works on (its files, and its store as the CLI opens it), with a read-only key: what
 * `slipway serve` would answer about the same project, for a test that ran slipway commands first. It starts no
 * deployment unless asked to with the admin key, and reads no feed unless asked to.
 */
export async function apiOverProject(projectFile: string, store: Store, options: { feed?: boolean } = {}): Promise<{ app: Express; reader: string; admin: string }> {
  const loaded = loadProject(projectFile);
  const process = loadProjectProcess(projectFile, loaded);
  const name = `reader-${Math.random().toString(36).slice(2, 8)}`;
  const reader = (await createApiKey(store, { name, scopes: scopes.reader }, "cli:test")).secret;
  const admin = (await createApiKey(store, { name: `admin-${name.slice(7)}`, scopes: scopes.admin }, "cli:test")).secret;
  const app = createApiApp({
    store,
    project: { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, process },
    clientsFor: (target) => createAwsClients(toAwsConnection(target)),
    auth: { open: false },
    // The feed reads each environment's target when asked; by default it has nothing to read.
    ...(!options.feed && { feedSources: new Map() }),
    log: () => undefined,
  });
  return { app, reader, admin };
}
