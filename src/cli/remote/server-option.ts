import type { Command } from "commander";
import { InputError } from "../../errors.js";

/**
 * Where a command works: on the project's own store (`.slipway/` beside slipway.yaml, or DATABASE_URL), or through
 * a running `slipway serve` — what a CI runner that starts empty every time needs, so releases, approvals, locks
 * and the lifecycle's record outlive the runner.
 */
export interface ServerConnection {
  /** The server's base URL, ending in "/": the API is under api/v1/ from it (a reverse proxy's prefix kept). */
  base: URL;
  /** SLIPWAY_API_KEY; never a flag, so it stays out of process lists and shell history. */
  key?: string;
}

export interface ServerOptions {
  server?: string;
}

/** Adds `--server <url>` (default: $SLIPWAY_SERVER) to a command that can work through a server. */
export function withServer(command: Command): Command {
  return command.option("--server <url>", "work through this `slipway serve` instead of the project's own store (default: $SLIPWAY_SERVER; the key is read from $SLIPWAY_API_KEY)");
}

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The server the command should use, or undefined for the local store. */
export function serverFrom(opts: ServerOptions, env: NodeJS.ProcessEnv = process.env): ServerConnection | undefined {
  const flag = opts.server !== undefined;
  const raw = opts.server ?? env.SLIPWAY_SERVER;
  if (raw === undefined || raw.trim() === "") {
    if (flag) throw new InputError("--server needs the URL of a running `slipway serve`.", "For example: --server https://slipway.example.com, or set SLIPWAY_SERVER.");
    return undefined;
  }
  const from = flag ? "--server" : "SLIPWAY_SERVER";
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError(`${from} is not a URL: "${raw}".`, "Give the server's address with its scheme, e.g. https://slipway.example.com or http://127.0.0.1:4600.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InputError(`${from} must be an http(s) URL, got "${url.protocol}".`, "For example: https://slipway.example.com.");
  // The key goes in every request's Authorization header: in clear text only as far as this machine.
  if (url.protocol === "http:" && !loopbackHosts.test(url.hostname)) {
    throw new InputError(`${from} uses plain http to ${url.hostname}: the API key would cross the network unencrypted.`, "Serve slipway behind TLS and use https://, or reach it through a tunnel on 127.0.0.1.");
  }
  if (url.username || url.password) throw new InputError(`${from} carries credentials in the URL.`, "Put the key in SLIPWAY_API_KEY instead: URLs end up in logs.");
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  const key = env.SLIPWAY_API_KEY?.trim();
  return { base: url, ...(key && { key }) };
}

/** For commands that only work on the local store: refuses when a server is set, rather than quietly ignoring it. */
export function refuseServer(env: NodeJS.ProcessEnv = process.env): void {
  if (env.SLIPWAY_SERVER === undefined || env.SLIPWAY_SERVER.trim() === "") return;
  throw new InputError(
    `This command works on the project's own store, but SLIPWAY_SERVER is set (${env.SLIPWAY_SERVER}): it would act beside the server, not through it.`,
    "Run it where the server's store is (or with DATABASE_URL), or unset SLIPWAY_SERVER. Through a server: release, deploy, promote, status, history, approve, abort.",
  );
}

/** Polling is the runner's to pace, and through a server the server runs the deployment: its own flag sets it. */
export function refusePollInterval(opts: { pollInterval?: string }): void {
  if (opts.pollInterval !== undefined) throw new InputError("--poll-interval is the server's to set when it works through a server.", "Leave it out; `slipway serve --poll-interval` sets it for the deployments the server runs.");
}

/**
 * A command's action that works through a server when one is given (--server, SLIPWAY_SERVER), else on the local
 * store. Commander passes the options second to last, before the command itself.
 */
export function throughServerOr(local: (...args: never[]) => Promise<void>, remote: (...args: never[]) => Promise<void>): (...args: unknown[]) => Promise<void> {
  // Commander's action arguments are untyped: each handler declares what its own command passes.
  type Handler = (...args: unknown[]) => Promise<void>;
  return (...args) => (serverFrom(args.at(-2) as ServerOptions) ? (remote as Handler)(...args) : (local as Handler)(...args));
}
