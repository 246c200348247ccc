import semver from "semver";

/**
 * A range of task definition revisions, as the feed's `range`, a channel's `revisions` rule and (later) a service
 * step's package rule write it. Octopus treats a revision as a one-part version; here revision N is read as N.0.0
 * so semver's ranges apply: ">=40", "40 - 49", "^3", "12 || 14", or a NuGet interval "[12,20)".
 */
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

// The ranges taken, written once for the code and the JSON documents alike (tests hold them equal): revision
// numbers, each with an optional comparator, one space between comparators, " - " between the two ends of a
// hyphen range, " || " between alternatives; or one NuGet interval. JSON Schema's pattern dialect is ECMA-262's,
// so only what it shares with other engines is used.
const number = "(0|[1-9][0-9]{0,8})";
const comparator = `([<>]=?|=|\\^|~)?${number}`;
const part = `(\\*|${number} - ${number}|${comparator}( ${comparator})*)`;
const interval = `\\[${number}\\]|[\\[(]${number}?,${number}?[\\])]`;
export const rangePattern = `^(${part}( \\|\\| ${part})*|${interval})$`;
const rangeExpression = new RegExp(rangePattern);

/** How to write one, for the hints of every place that takes a range. */
export const revisionRangeHint = "Revision N matches as N.0.0: try >=12 <20 (12 to 19), >=12 (12 and later), 12 || 14, or the interval [12,20), written without other spaces.";

/** The range `text` writes, or undefined when it is not one. */
export function revisionRange(text: string): RevisionRange | undefined {
  const normalised = rangeExpression.test(text) ? semver.validRange(fromInterval(text) ?? text) : null;
  if (normalised === null) return undefined;
  const range = new semver.Range(normalised);
  return { semver: normalised, includes: (revision) => range.test(semverOf(revision)) };
}

/** Revisions both ranges include: a query's range inside a channel's rule. */
export function bothRanges(a: RevisionRange | undefined, b: RevisionRange | undefined): RevisionRange | undefined {
  if (!a || !b) return a ?? b;
  return { semver: `${a.semver} and ${b.semver}`, includes: (revision) => a.includes(revision) && b.includes(revision) };
}
