import { constraintViolation, validation } from "./errors.js";
import { optionalInt } from "./coerce.js";

/** ELBv2's Marker/PageSize paging: the marker is opaque to callers; here it is the offset of the next page. */
export function page<T>(items: T[], input: { Marker?: unknown; PageSize?: unknown }, defaultSize = 400): { items: T[]; NextMarker?: string } {
  const size = optionalInt(input.PageSize, "PageSize") ?? defaultSize;
  if (size < 1) throw constraintViolation(size, "pageSize", "Member must have value greater than or equal to 1");
  if (size > 400) throw constraintViolation(size, "pageSize", "Member must have value less than or equal to 400");
  let start = 0;
  if (typeof input.Marker === "string" && input.Marker !== "") {
    start = Number(Buffer.from(input.Marker, "base64url").toString("utf8"));
    if (!Number.isInteger(start) || start < 0) throw validation("The marker is not valid");
  }
  const slice = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { items: slice, NextMarker: Buffer.from(String(next), "utf8").toString("base64url") } : { items: slice };
}
