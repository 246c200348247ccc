import { createHash, randomBytes } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { KeyScopes, Store } from "../engine/store.js";
import { AccessDeniedError, bearerToken } from "../../feed/auth.js";

/**
 * Who may do what through the HTTP API. A caller presents `Authorization: Bearer <secret>`; the store keeps only
 * the secret's SHA-256, so a leaked database does not leak keys. Scopes are checked before anything is written,
 * and a refusal (403) names the scope that is missing.
 */

/** Who is calling: the key's name (what the audit log and the runs record) and what it may do. */
export interface Caller {
  name: string;
  scopes: KeyScopes;
}

/**
 * `open`: no keys (only allowed on loopback, like the feed's --open); every request acts as "open:<login>",
 * the login of whoever started the server, with every scope.
 */
export interface ApiAuth {
  open: boolean;
  /** The login named in "open:<login>". */
  login?: string;
}

export const everyScope: KeyScopes = { read: true, createReleases: true, deploy: ["*"], approve: ["*"] };

/** A new key's secret: 32 random bytes, prefixed so a leaked one is recognisable in a scanner's report. */
export function newKeySecret(): string {
  return `slw_${randomBytes(32).toString("base64url")}`;
}

/** What the store keeps of a secret. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A key that is valid but lacks the scope a request needs: 403, naming the scope, and nothing was changed. */
export class ForbiddenError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** The missing scope: "read", "createReleases", "deploy:prod", "approve:prod". */
    readonly scope: string,
  ) {
    super(message);
  }
}

/** Finds the caller of every request (401 without a live key), kept in res.locals for the handlers. */
export function authenticate(store: Store, auth: ApiAuth): RequestHandler {
  if (auth.open) {
    const caller: Caller = { name: `open:${auth.login ?? "unknown"}`, scopes: everyScope };
    return (_req, res, next) => {
      res.locals.caller = caller;
      next();
    };
  }
  return async (req, res, next) => {
    const secret = bearerToken(req.get("authorization"));
    if (secret === undefined) throw new AccessDeniedError("This API needs a key.", "Send it as a header: Authorization: Bearer <key>. `slipway keys create <name>` makes one.");
    const key = await store.keys.findByHash(hashSecret(secret));
    if (!key) throw new AccessDeniedError("The key is not one this server accepts: it is unknown, or it was revoked.", "Check the key you sent; `slipway keys list` shows the live keys, `slipway keys create` makes a new one.");
    res.locals.caller = { name: key.name, scopes: key.scopes } satisfies Caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error("callerOf: the request did not pass authenticate()");
  return caller;
}

export type EnvironmentScope = "deploy" | "approve";

/** Whether the scopes allow this in the environment ("*" is every environment). */
export function allows(scopes: KeyScopes, scope: EnvironmentScope, environment: string): boolean {
  return scopes[scope].includes("*") || scopes[scope].includes(environment);
}

const verbs: Record<EnvironmentScope, string> = { deploy: "deploy to", approve: "approve or abort deployments in" };
const covered = (list: readonly string[]) => (list.length === 0 ? "no environment" : list.join(", "));

/** Refuses a caller without `read`. */
export function requireRead(caller: Caller): void {
  if (caller.scopes.read) return;
  throw new ForbiddenError(`The key "${caller.name}" may not read: it lacks the read scope.`, "Use a key with the read scope (`slipway keys create <name> --read`).", "read");
}

export function requireCreateReleases(caller: Caller): void {
  if (caller.scopes.createReleases) return;
  throw new ForbiddenError(`The key "${caller.name}" may not create releases: it lacks the createReleases scope.`, "Use a key with that scope (`slipway keys create <name> --create-releases`).", "createReleases");
}

/** Refuses a caller whose deploy (or approve) scope does not cover the environment. */
export function requireIn(caller: Caller, scope: EnvironmentScope, environment: string): void {
  if (allows(caller.scopes, scope, environment)) return;
  throw new ForbiddenError(
    `The key "${caller.name}" may not ${verbs[scope]} ${environment}: its ${scope} scope covers ${covered(caller.scopes[scope])}.`,
    `Use a key whose ${scope} scope includes ${environment} (\`slipway keys create <name> --${scope} ${environment}\`).`,
    `${scope}:${environment}`,
  );
}

/** Refuses a caller that may neither deploy to nor approve in the environment: what stopping a deployment needs. */
export function requireEitherIn(caller: Caller, environment: string): void {
  if (allows(caller.scopes, "deploy", environment) || allows(caller.scopes, "approve", environment)) return;
  throw new ForbiddenError(
    `The key "${caller.name}" may not abort deployments in ${environment}: neither its deploy scope (${covered(caller.scopes.deploy)}) nor its approve scope (${covered(caller.scopes.approve)}) covers it.`,
    `Use a key whose deploy or approve scope includes ${environment}.`,
    `approve:${environment}`,
  );
}
