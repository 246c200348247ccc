import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

/**
 * `all`: true asks for every revision of a family whatever environment it belongs to; false (the default) for
 * only the revisions of the environment in the path. Only true or false, as JSON and the OpenAPI document write a
 * boolean: anything else is refused rather than guessed at, since reading it wrong would show (or hide) other
 * environments' revisions.
 */
export function parseAll(raw: unknown): boolean {
  const text = singleValue("all", raw);
  if (text === undefined) return false;
  if (text === "true" || text === "false") return text === "true";
  throw new InputError(`all must be true or false, got "${text}".`, "Leave all out for this environment's revisions only; ?all=true lists every revision of the family, whichever environment it belongs to.");
}
