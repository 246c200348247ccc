import { createApiKey, describeScopes, revokeApiKey } from "../../api/keys.js";
import { loadProject } from "../../config/load.js";
import type { KeyScopes, Store } from "../../engine/store.js";
import { InputError } from "../../errors.js";
import type { Lifecycle } from "../../../targets/lifecycle.js";
import type { Output } from "../output.js";
import { cliActor, openProjectStore } from "./project-store.js";

interface KeysOptions {
  project: string;
}

interface CreateOptions extends KeysOptions {
  read?: boolean;
  createReleases?: boolean;
  deploy?: string;
  approve?: string;
}

/** The project's store, opened for one command: keys need the project's name and environments, not its process. */
async function withKeyStore<T>(projectFile: string, use: (store: Store, lifecycle: Lifecycle) => Promise<T>): Promise<T> {
  const { project } = loadProject(projectFile);
  const store = await openProjectStore(projectFile, project.name);
  try {
    return await use(store, project.lifecycle);
  } finally {
    await store.close();
  }
}

/** --deploy dev,test: environments of the lifecycle, or * for every one. */
function environmentList(flag: string, value: string | undefined, lifecycle: Lifecycle): string[] {
  if (value === undefined) return [];
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const unknown = names.filter((n) => n !== "*" && !lifecycle.names.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new InputError(`--${flag} ${value} names ${unknown.length > 0 ? `environments this project does not have: ${unknown.join(", ")}` : "no environment"}.`, `The environments are ${lifecycle.names.join(", ")}; separate several with commas, or give * for every one.`);
  }
  return names.includes("*") ? ["*"] : [...new Set(names)];
}

function scopesFrom(opts: CreateOptions, lifecycle: Lifecycle): KeyScopes {
  const scopes: KeyScopes = { read: opts.read === true, createReleases: opts.createReleases === true, deploy: environmentList("deploy", opts.deploy, lifecycle), approve: environmentList("approve", opts.approve, lifecycle) };
  if (!scopes.read && !scopes.createReleases && scopes.deploy.length === 0 && scopes.approve.length === 0) {
    throw new InputError("A key with no scope could do nothing.", "Give at least one of --read, --create-releases, --deploy <envs>, --approve <envs>.");
  }
  return scopes;
}

/** The action of `create` (its definition, loaded at start, is in keys-command.ts). */
export const createAction = (io: Output) =>
  (name: string, opts: CreateOptions) =>
    withKeyStore(opts.project, async (store, lifecycle) => {
      const { key, secret } = await createApiKey(store, { name, scopes: scopesFrom(opts, lifecycle) }, cliActor());
      // The secret alone on stdout, so KEY=$(slipway keys create …) works; the rest is for the person.
      io.out(secret);
      io.err(`created key ${key.name} (${describeScopes(key.scopes)})`);
      io.err("This is the only time the key is shown: slipway keeps only its hash. Send it as Authorization: Bearer <key>.");
    });

/** The action of `list` (its definition, loaded at start, is in keys-command.ts). */
export const listAction = (io: Output) =>
  (opts: KeysOptions & { json?: boolean }) =>
    withKeyStore(opts.project, async (store) => {
      const all = await store.keys.list();
      if (opts.json) {
        io.out(JSON.stringify(all, null, 2));
        return;
      }
      if (all.length === 0) io.out("no keys yet: slipway keys create <name> --read");
      for (const k of all) io.out(`${k.name}  ${describeScopes(k.scopes)}  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ""}`);
    });

/** The action of `revoke` (its definition, loaded at start, is in keys-command.ts). */
export const revokeAction = (io: Output) =>
  (name: string, opts: KeysOptions) =>
    withKeyStore(opts.project, async (store) => {
      const key = await revokeApiKey(store, name, cliActor());
      io.out(`revoked key ${key.name}${key.revokedAt ? ` at ${key.revokedAt}` : ""}: requests with it are refused from now on`);
    });
