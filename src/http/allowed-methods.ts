import type { RequestHandler } from "express";

/**
 * A request for a path an OpenAPI document describes, with a method it does not: 405 with `Allow` (RFC 9110
 * §15.5.6), not "nothing is served here". The document is the one list of what each path answers, so the
 * refusal cannot drift from it; HEAD is allowed wherever GET is, as express answers it.
 */
export class MethodNotAllowedError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    /** What the path does answer, e.g. ["GET", "HEAD", "POST"]. */
    readonly allow: readonly string[],
  ) {
    super(`${method} is not an operation of ${path}.`);
  }

  get hint(): string {
    return `${this.path} answers ${this.allow.join(", ")}; the OpenAPI document (GET /openapi.json) lists every operation.`;
  }
}

const operations = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

interface PathMethods {
  pattern: RegExp;
  allow: string[];
}

/** "/api/v1/deployments/{id}/events" → a pattern a request path matches, one segment per parameter. */
function patternOf(template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join("[^/]+")}/?$`);
}

function pathMethodsOf(document: unknown): PathMethods[] {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  return Object.entries(paths).map(([template, item]) => {
    const declared = Object.keys(item).filter((key) => operations.includes(key)).map((m) => m.toUpperCase());
    const allow = declared.includes("GET") && !declared.includes("HEAD") ? [...declared, "HEAD"] : declared;
    return { pattern: patternOf(template), allow: allow.sort() };
  });
}

/**
 * Mounted after every route and before "not found": a documented path reached with another method is a 405.
 * OPTIONS is left to express, which answers it with the same Allow list.
 */
export function methodNotAllowed(document: unknown): RequestHandler {
  const known = pathMethodsOf(document);
  return (req, _res, next) => {
    if (req.method === "OPTIONS") return next();
    const path = known.find((p) => p.pattern.test(req.path));
    if (path && !path.allow.includes(req.method)) return next(new MethodNotAllowedError(req.method, req.path, path.allow));
    next();
  };
}
