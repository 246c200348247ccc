import { InputError } from "../../src/errors.js";
import { revisionRange, type RevisionRange } from "../../src/releases/revision-range.js";
import { singleValue } from "./single.js";

export { rangePattern, type RevisionRange } from "../../src/releases/revision-range.js";

/**
 * `range`: keeps the revisions whose number, read as N.0.0, satisfies a semver range (">=12 <20", "^3",
 * "12 || 14") or a NuGet interval ("[12,20)"). Default (absent or empty): every revision.
 */
export function parseRange(raw: unknown): RevisionRange | undefined {
  const text = singleValue("range", raw);
  if (text === undefined || text === "") return undefined;
  const range = revisionRange(text);
  if (!range) {
    throw new InputError(`range "${text.slice(0, 100)}" is not a version range.`, 'Revision N matches as N.0.0: try range=>=12 <20 (12 to 19), range=>=12 (12 and later), range=12 || 14, or the interval range=[12,20), written without other spaces.');
  }
  return range;
}
