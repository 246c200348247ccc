import type { Store } from "../engine/store.js";
import { ConflictError, NotFoundError } from "../errors.js";
import { revisionLabel } from "../../steps/service/state.js";

/**
 * The release `slipway rollback --env` returns an environment to, and the one it runs now: `to` when given (it must
 * have succeeded there before), else the last release that succeeded there before the one it runs now — a release,
 * not a revision, so every service of the process goes back together. Reads the store only.
 */
export async function rollbackTarget(store: Store, environment: string, to?: string): Promise<{ release: string; replaces: string }> {
  const runs = await store.runs.list({ environment, status: ["succeeded"], limit: 1000 });
  const newest = runs[0];
  if (!newest) throw new NotFoundError(`Nothing runs in ${environment} that slipway deployed, so there is nothing to roll back.`, `Deploy a release there with \`slipway deploy <release> --to ${environment}\`.`);
  const succeeded = [...new Set(runs.flatMap((r) => (r.kind === "deploy" ? [r.release] : [])))];
  const current = newest.release;
  if (current === undefined) {
    // A service rollback to a revision no release is known to have made: which release is "the one before" is unknowable.
    if (to !== undefined && succeeded.includes(to)) return { release: to, replaces: newest.kind === "rollback" ? revisionLabel(newest.rollback.to.taskDefinition) : newest.id };
    throw new ConflictError(
      `${environment} runs a revision no release is known to have made (after rollback ${newest.id}), so there is no "release before it" to return to.`,
      `Name the release with --to: ${succeeded.join(", ") || "none succeeded there yet"}.`,
    );
  }
  if (to !== undefined) {
    if (to === current) throw new ConflictError(`${environment} already runs release ${to}.`, "Name an earlier release with --to, or leave --to out for the one before it.");
    if (!succeeded.includes(to)) {
      throw new ConflictError(`Release ${to} never succeeded in ${environment}, so it is no known-good state to return to.`, succeeded.length > 1 ? `Releases that succeeded there, newest first: ${succeeded.filter((r) => r !== current).join(", ")}.` : `Deploy it with \`slipway deploy ${to} --to ${environment}\` instead.`);
    }
    return { release: to, replaces: current };
  }
  const previous = succeeded.find((r) => r !== current);
  if (!previous) throw new NotFoundError(`No release succeeded in ${environment} before ${current}, so there is none to roll back to.`, `Deploy a known-good release with \`slipway deploy <release> --to ${environment}\`.`);
  return { release: previous, replaces: current };
}

/** The release the environment's last successful run deployed: where an aborted unfinished deployment leaves it. */
export async function lastGoodRelease(store: Store, environment: string): Promise<string | undefined> {
  const [good] = await store.runs.list({ environment, status: ["succeeded"], limit: 1 });
  return good?.kind === "deploy" ? good.release : undefined;
}
