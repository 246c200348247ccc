import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { InputError } from "../src/errors.js";

/** Who may read the feed: anyone (only allowed on loopback), or whoever presents one of the read keys. */
export type FeedAccess = { kind: "open" } | { kind: "keys"; keys: readonly string[] };

/** A request without a valid read key. Not one of slipway's errors: only the feed has callers to refuse. */
export class AccessDeniedError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** Turns the serve options into an access rule, refusing the combinations that would expose the feed. */
export function accessFrom(options: { open: boolean; keys: readonly string[] | undefined; host: string }): FeedAccess {
  if (options.open && options.keys) throw new InputError("--open and --keys-file contradict each other.", "Give --keys-file to require read keys, or --open (loopback only) to require none.");
  if (options.open) {
    if (!isLoopbackHost(options.host)) {
      throw new InputError(`--open is refused on ${options.host}: anyone who can reach that address could read every task definition.`, "Listen on loopback (--host 127.0.0.1) with --open, or give --keys-file to require read keys.");
    }
    return { kind: "open" };
  }
  if (!options.keys) throw new InputError("The feed needs read keys or --open.", "Give --keys-file with one key per line, or --open to serve without keys on loopback.");
  return { kind: "keys", keys: options.keys };
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** The credential of an `Authorization: Bearer <token>` header; undefined for any other header, or none. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
}

/**
 * Checks `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests with timingSafeEqual, against
 * every key without stopping early, so neither a key's length nor its first differing byte shows in timing.
 */
export function requireAccess(access: FeedAccess): RequestHandler {
  if (access.kind === "open") return (_req, _res, next) => next();
  const keyDigests = access.keys.map(digest);
  return (req, _res, next) => {
    const token = bearerToken(req.get("authorization"));
    if (token === undefined) {
      next(new AccessDeniedError("This feed needs a read key.", "Send it as a header: Authorization: Bearer <key>."));
      return;
    }
    const presented = digest(token);
    let granted = false;
    for (const key of keyDigests) granted = timingSafeEqual(key, presented) || granted;
    next(granted ? undefined : new AccessDeniedError("The read key is not one this feed accepts.", "Check the key against the feed's keys file."));
  };
}
