import { InputError } from "../../src/errors.js";
import { singleValue } from "./single.js";

/**
 * `unowned` (a version listing's only): true adds to the environment's own revisions those that belong to no
 * environment (registered outside slipway, without a slipway:environment tag) — what `release create` may choose
 * from in the environment; false (the default) lists only its own. Only true or false, as for `all`: anything
 * else is refused rather than guessed at, since reading it wrong would show (or hide) revisions.
 */
export function parseUnowned(raw: unknown): boolean {
  const text = singleValue("unowned", raw);
  if (text === undefined) return false;
  if (text === "true" || text === "false") return text === "true";
  throw new InputError(
    `unowned must be true or false, got "${text}".`,
    "Leave unowned out for this environment's revisions only; ?unowned=true adds the revisions that belong to no environment (no slipway:environment tag), the ones release create may choose besides its own.",
  );
}
