import type { Request, RequestHandler } from "express";
import { isLoopbackHost } from "../../feed/auth.js";

/** A request a browser sent for another site, or through a name that is not this server's: 403, nothing done. */
export class ForeignRequestError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const reads = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host part of a Host header: "127.0.0.1:4600" → "127.0.0.1", "[::1]:4600" → "::1". */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(host);
  return bracketed ? (bracketed[1] as string) : host.replace(/:\d+$/, "");
}

function foreignOrigin(req: Request): string | undefined {
  // Browsers say where a request comes from; tools (curl, the SDKs, CI) send neither header.
  const site = req.get("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  const origin = req.get("origin");
  if (origin === undefined) return undefined;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Origin: ${origin}`;
  }
  return originHost === req.get("host") ? undefined : `Origin: ${origin}`;
}

/**
 * What a browser may do here. A web page on another site can make the browser of anyone who has slipway's server
 * open send it a "simple" POST, with no key needed under --open: every write from another origin is refused. And
 * under --open, where no key stands between a request and a deployment, a request must name the server by a
 * loopback name: a page that points its own domain name at 127.0.0.1 (DNS rebinding) is same-origin to itself.
 */
export function sameOriginOnly(open: boolean): RequestHandler {
  return (req, _res, next) => {
    const host = req.get("host") ?? "";
    if (open && !isLoopbackHost(hostName(host))) {
      throw new ForeignRequestError(`This server runs with --open and answers only to a loopback name, not "${host}".`, "Reach it as http://127.0.0.1:<port>/ or http://localhost:<port>/.");
    }
    const foreign = reads.has(req.method) ? undefined : foreignOrigin(req);
    if (foreign !== undefined) {
      throw new ForeignRequestError(`A ${req.method} from another site was refused (${foreign}): only this server's own pages and tools without a browser may write.`, "Use the dashboard this server serves, the CLI, or a client that sends no Origin header.");
    }
    next();
  };
}
