import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

/** `q`: keeps the packages whose name contains it, ignoring case. Default: every package. */
export function parseSearch(raw: unknown): string | undefined {
  const given = singleValue("q", raw);
  if (given === undefined) return undefined;
  // The limit is on what was sent, in characters (code points) as the OpenAPI document's maxLength counts them.
  const length = Array.from(given).length;
  if (length > 255) throw new InputError(`q is ${length} characters long; a family name is at most 255.`, "Search with part of a task definition family name.");
  const text = given.trim();
  return text === "" ? undefined : text.toLowerCase();
}
