import { InputError } from "../../src/errors.js";

/**
 * A query parameter given at most once. Express's query parser answers a repeated parameter with an array
 * (and a bracketed one with an object); a feed parameter has one value, so both are refused by name.
 */
export function singleValue(name: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "string") return raw;
  throw new InputError(`The query parameter "${name}" was given more than once or in an unusual form.`, `Give ${name} once, e.g. ?${name}=value.`);
}
