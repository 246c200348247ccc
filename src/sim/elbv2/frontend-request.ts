import type { IncomingMessage } from "node:http";
import type { RoutedRequest } from "./condition-match.js";

/**
 * A real HTTP request → the request a listener's rules are matched against. Everything comes from the request
 * itself: the Host header, the path and query string, the method, every header, and the peer's address as the
 * source IP (an ALB matches source-ip on the client's address, not on X-Forwarded-For).
 */
export function routedRequestOf(req: IncomingMessage): RoutedRequest {
  const url = new URL(req.url ?? "/", "http://frontend.invalid");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const query = Object.fromEntries(url.searchParams);
  const sourceIp = sourceIpOf(req.socket.remoteAddress);
  return {
    ...(req.headers.host && { host: req.headers.host }),
    path: url.pathname,
    method: req.method ?? "GET",
    headers,
    ...(Object.keys(query).length > 0 && { query }),
    ...(sourceIp && { sourceIp }),
  };
}

/** Node reports an IPv4 peer on a dual-stack socket as "::ffff:127.0.0.1"; rules are written for 127.0.0.1. */
function sourceIpOf(address: string | undefined): string | undefined {
  return address?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}
