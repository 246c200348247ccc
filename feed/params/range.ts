import semver from "semver";
import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

/** A version range as a channel rule would give it, and the test it makes of a revision number. */
export interface RevisionRange {
  /** The range as semver reads it, e.g. ">=12.0.0 <20.0.0-0". */
  semver: string;
  includes(revision: number): boolean;
}

/** NuGet interval notation, which Octopus channel rules also use: [12,20) is 12 ≤ v < 20; [12] is exactly 12. */
function fromInterval(text: string): string | undefined {
  const exact = /^\[\s*(\d+)\s*\]$/.exec(text);
  if (exact) return `${exact[1]}.0.0`;
  const interval = /^([[(])\s*(\d*)\s*,\s*(\d*)\s*([\])])$/.exec(text);
  if (!interval) return undefined;
  const [, open, low, high, close] = interval;
  const parts = [low ? `${open === "[" ? ">=" : ">"}${low}.0.0` : "", high ? `${close === "]" ? "<=" : "<"}${high}.0.0` : ""].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : "*";
}

// Each revision's SemVer is made once: a listing of thousands is filtered on every request.
const versions: semver.SemVer[] = [];
function semverOf(revision: number): semver.SemVer {
  return (versions[revision] ??= new semver.SemVer(`${revision}.0.0`));
}

// The ranges the feed takes, written once for the server and the OpenAPI document alike (a test holds them equal):
// revision numbers, each with an optional comparator, one space between comparators, " - " between the two ends
// of a hyphen range, " || " between alternatives; or one NuGet interval. JSON Schema's pattern dialect is
// ECMA-262's, so only what it shares with other engines is used.
const number = "(0|[1-9][0-9]{0,8})";
const comparator = `([<>]=?|=|\\^|~)?${number}`;
const part = `(\\*|${number} - ${number}|${comparator}( ${comparator})*)`;
const interval = `\\[${number}\\]|[\\[(]${number}?,${number}?[\\])]`;
export const rangePattern = `^(${part}( \\|\\| ${part})*|${interval})$`;
const rangeExpression = new RegExp(rangePattern);

/**
 * `range`: keeps the revisions whose number, read as N.0.0, satisfies a semver range (">=12 <20", "^3",
 * "12 || 14") or a NuGet interval ("[12,20)"). Default (absent or empty): every revision.
 */
export function parseRange(raw: unknown): RevisionRange | undefined {
  const text = singleValue("range", raw);
  if (text === undefined || text === "") return undefined;
  const normalised = rangeExpression.test(text) ? semver.validRange(fromInterval(text) ?? text) : null;
  if (normalised === null) {
    throw new InputError(`range "${text.slice(0, 100)}" is not a version range.`, 'Revision N matches as N.0.0: try range=>=12 <20 (12 to 19), range=>=12 (12 and later), range=12 || 14, or the interval range=[12,20), written without other spaces.');
  }
  const range = new semver.Range(normalised);
  return { semver: normalised, includes: (revision) => range.test(semverOf(revision)) };
}
