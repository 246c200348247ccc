import { InputError } from "../../src/errors.js";
import type { RevisionStatus } from "../catalog/catalog.js";
import { singleValue } from "./single.js";

/** `status`: ACTIVE (the default: what can be deployed) or INACTIVE (deregistered revisions); any case. */
export function parseStatus(raw: unknown): RevisionStatus {
  const text = singleValue("status", raw);
  if (text === undefined) return "ACTIVE";
  const status = text.toUpperCase();
  if (status === "ACTIVE" || status === "INACTIVE") return status;
  throw new InputError(`status must be ACTIVE or INACTIVE, got "${text}".`, "Leave status out for the deployable (ACTIVE) revisions; ?status=INACTIVE lists deregistered ones.");
}
