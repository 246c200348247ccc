import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

/** `q`: keeps the packages whose name contains it, ignoring case. Default: every package. */
export function parseSearch(raw: unknown): string | undefined {
  const text = singleValue("q", raw)?.trim();
  if (text === undefined || text === "") return undefined;
  if (text.length > 255) throw new InputError(`q is ${text.length} characters long; a family name is at most 255.`, "Search with part of a task definition family name.");
  return text.toLowerCase();
}
