import type { ErrorRequestHandler } from "express";
import { awsErrorName } from "../src/aws/call.js";
import { SlipwayError, type ErrorKind } from "../src/errors.js";
import { MethodNotAllowedError } from "../src/http/allowed-methods.js";
import { AccessDeniedError } from "./auth.js";

/** The JSON every failed request gets: what kind of failure, what went wrong, how to fix it. */
export interface ErrorBody {
  error: ErrorKind | "unauthorized" | "method-not-allowed" | "internal";
  message: string;
  hint: string;
}

// A deployment that ran and failed is ECS's verdict, relayed like a failed AWS call: 502.
// An interrupted run means the server is stopping: come back later, 503.
const statusOf: Record<ErrorKind, number> = { input: 400, "not-found": 404, conflict: 409, aws: 502, deployment: 502, interrupted: 503, server: 502 };

/** Express's own 4xx errors (a path that will not decode, say) carry a status; they are the client's doing. */
export function clientStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

/** How one of slipway's own errors is answered over HTTP (the feed's and the API's alike). */
export function slipwayErrorResponse(error: SlipwayError): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  // ECS throttling that outlasted the SDK's retries is temporary: say when to come back rather than "bad gateway".
  const throttled = error.kind === "aws" && /Throttl/.test(awsErrorName(error) ?? "");
  return {
    status: throttled ? 503 : statusOf[error.kind],
    body: { error: error.kind, message: error.message, hint: error.hint ?? "" },
    ...(throttled && { headers: { "Retry-After": "2" } }),
  };
}

function toResponse(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof AccessDeniedError) {
    return { status: 401, body: { error: "unauthorized", message: error.message, hint: error.hint }, headers: { "WWW-Authenticate": 'Bearer realm="slipway-feed"' } };
  }
  if (error instanceof MethodNotAllowedError) {
    return { status: 405, body: { error: "method-not-allowed", message: error.message, hint: error.hint }, headers: { Allow: error.allow.join(", ") } };
  }
  if (error instanceof SlipwayError) return slipwayErrorResponse(error);
  const status = clientStatus(error);
  if (status !== undefined) return { status, body: { error: "input", message: (error as Error).message, hint: "Check the request's path and query." } };
  return { status: 500, body: { error: "internal", message: "The feed failed unexpectedly.", hint: "This is a bug in slipway's feed; the server's log has the details." } };
}

/** The one place feed errors become HTTP answers (STYLE lesson 9). Unexpected ones are logged, never shown. */
export function errorMiddleware(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const { status, body, headers } = toResponse(error);
    if (status === 500) log(`feed: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (headers) res.set(headers);
    res.status(status).json(body);
  };
}
