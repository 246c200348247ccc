import type { ErrorRequestHandler } from "express";
import { InputError, SlipwayError, type ErrorKind, type Problem } from "../errors.js";
import { AccessDeniedError } from "../../feed/auth.js";
import { clientStatus, slipwayErrorResponse } from "../../feed/error-middleware.js";
import { MethodNotAllowedError } from "../http/allowed-methods.js";
import { ForbiddenError } from "./auth.js";
import { ForeignRequestError } from "./same-origin.js";

/** The JSON every failed API request gets: what kind of failure, what went wrong, how to fix it. */
export interface ApiErrorBody {
  error: ErrorKind | "unauthorized" | "forbidden" | "method-not-allowed" | "internal";
  message: string;
  hint: string;
  /** 400 for a request body: every problem found in it. */
  problems?: Problem[];
  /** 403: the scope the key lacks, e.g. "deploy:prod". */
  scope?: string;
}

interface ErrorResponse {
  status: number;
  body: ApiErrorBody;
  headers?: Record<string, string>;
}

function toResponse(error: unknown): ErrorResponse {
  if (error instanceof AccessDeniedError) {
    return { status: 401, body: { error: "unauthorized", message: error.message, hint: error.hint }, headers: { "WWW-Authenticate": 'Bearer realm="slipway"' } };
  }
  if (error instanceof ForbiddenError) return { status: 403, body: { error: "forbidden", message: error.message, hint: error.hint, scope: error.scope } };
  if (error instanceof MethodNotAllowedError) {
    return { status: 405, body: { error: "method-not-allowed", message: error.message, hint: error.hint }, headers: { Allow: error.allow.join(", ") } };
  }
  if (error instanceof ForeignRequestError) return { status: 403, body: { error: "forbidden", message: error.message, hint: error.hint } };
  if (error instanceof InputError) return { status: 400, body: { error: "input", message: error.message, hint: error.hint ?? "", problems: error.problems } };
  if (error instanceof SlipwayError) return slipwayErrorResponse(error);
  const status = clientStatus(error);
  if (status !== undefined) {
    // express.json's own refusals: a body that is not JSON, or too large. Their messages quote no header.
    const tooLarge = status === 413;
    return {
      status,
      body: { error: "input", message: tooLarge ? "The request body is too large." : "The request body is not valid JSON, or the path does not decode.", hint: tooLarge ? "Bodies are limited to 100 kB." : "Send JSON with Content-Type: application/json." },
    };
  }
  return { status: 500, body: { error: "internal", message: "The API failed unexpectedly.", hint: "This is a bug in slipway; the server's log has the details." } };
}

/**
 * The one place API errors become HTTP answers. Unexpected ones are logged with their stack and answered without
 * it; a failed AWS call (502, 503) is logged with its message, so the server's operator sees what the client saw.
 * Nothing here reads the request, so no header (and no key) can reach the log or the answer.
 */
export function apiErrorMiddleware(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const { status, body, headers } = toResponse(error);
    if (status === 500) log(`api: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    else if (status >= 502) log(`api: answered ${status}: ${body.message}`);
    // A stream (server-sent events) that failed after it started can only be ended.
    if (res.headersSent) {
      res.end();
      return;
    }
    if (headers) res.set(headers);
    res.status(status).json(body);
  };
}
