import { InputError } from "../../src/errors.js";
import type { RevisionStatus } from "../catalog/catalog.js";
import { singleValue } from "./single.js";

/** What the OpenAPI document's enum lists: the ECS status, or it in lower case. */
const accepted = new Set(["ACTIVE", "INACTIVE", "active", "inactive"]);

/** `status`: ACTIVE (the default: what can be deployed) or INACTIVE (deregistered revisions), upper or lower case. */
export function parseStatus(raw: unknown): RevisionStatus {
  const text = singleValue("status", raw);
  if (text === undefined) return "ACTIVE";
  if (accepted.has(text)) return text.toUpperCase() as RevisionStatus;
  throw new InputError(`status must be ACTIVE or INACTIVE, got "${text}".`, "Leave status out for the deployable (ACTIVE) revisions; ?status=INACTIVE lists deregistered ones.");
}
