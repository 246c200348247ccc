import { createHash } from "node:crypto";

/** A strong entity tag for exactly these bytes: equal bodies get equal tags, whatever produced them. */
export function etagOf(body: string): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/**
 * Whether an If-None-Match header names this tag. RFC 9110 uses the weak comparison here, so W/"x" matches
 * "x"; "*" matches any current representation.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === opaque);
}
