import { randomUUID } from "node:crypto";
import type { ApiKey, KeyScopes, Store } from "../engine/store.js";
import { ConflictError, InputError, NotFoundError } from "../errors.js";
import { hashSecret, newKeySecret } from "./auth.js";

/**
 * Making and revoking API keys: the secret is returned once, to be shown once, and only its hash is stored.
 * Both writes are audited with the actor who made them (cli:<login> from the CLI).
 */

/** Names appear in the audit log as actors beside "cli:<login>" and "open:<login>": no colon, so none can pose as those. */
const keyName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function createApiKey(store: Store, request: { name: string; scopes: KeyScopes }, actor: string): Promise<{ key: ApiKey; secret: string }> {
  if (!keyName.test(request.name)) {
    throw new InputError(`"${request.name}" is not a key name.`, "A key name is 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit, e.g. ci-dev.");
  }
  if ((await store.keys.list()).some((k) => k.name === request.name)) {
    throw new ConflictError(`There is a key named "${request.name}" already (names stay taken after revocation, so the audit log's names stay unambiguous).`, "Choose another name.");
  }
  const secret = newKeySecret();
  const key = await store.keys.create({ id: randomUUID(), name: request.name, secretHash: hashSecret(secret), scopes: request.scopes });
  await store.audit.record({ actor, action: "key.create", subject: key.name, detail: { scopes: key.scopes } });
  return { key, secret };
}

export async function revokeApiKey(store: Store, name: string, actor: string): Promise<ApiKey> {
  const keys = await store.keys.list();
  const key = keys.find((k) => k.name === name);
  if (!key) throw new NotFoundError(`There is no key named "${name}".`, keys.length > 0 ? `The keys are: ${keys.map((k) => k.name).join(", ")}.` : "There are no keys yet: `slipway keys create <name>` makes one.");
  if (key.revokedAt !== undefined) throw new ConflictError(`The key "${name}" was revoked already, at ${key.revokedAt}.`, "Nothing to do: it is refused by the API.");
  await store.keys.revoke(name);
  await store.audit.record({ actor, action: "key.revoke", subject: name });
  return (await store.keys.list()).find((k) => k.name === name) ?? key;
}

/** What a scope list reads as for people: "dev, test", "every environment", "none". */
export function describeScopes(scopes: KeyScopes): string {
  const envs = (list: readonly string[]) => (list.includes("*") ? "every environment" : list.length === 0 ? "none" : list.join(", "));
  return [`read: ${scopes.read ? "yes" : "no"}`, `create releases: ${scopes.createReleases ? "yes" : "no"}`, `deploy: ${envs(scopes.deploy)}`, `approve: ${envs(scopes.approve)}`].join("; ");
}
