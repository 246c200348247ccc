import { InputError } from "../../src/errors.js";

/** The `{version}` path segment: a revision number as the feed shows it ("12"), from 1. */
export function parseVersion(raw: string): number {
  if (/^[1-9]\d{0,8}$/.test(raw)) return Number(raw);
  throw new InputError(`"${raw}" is not a version of a task definition.`, "A version is a revision number, e.g. /versions/12.");
}
