import { ConflictError } from "../errors.js";
import type { Lifecycle } from "../../targets/lifecycle.js";
import type { DeploymentRun } from "./deployment-run.js";

/**
 * The environments where the release's process succeeded. A rollback run is left out even when it succeeded and
 * names the release: it put an earlier revision back on one service, it did not run the release's process there
 * (task definitions, verification, gates), so it proves nothing about the release — and promotion must not open
 * a later environment to a release merely because an environment was rolled back to it. (Rolling back from a
 * release does not take away where it succeeded either: that deployment did succeed.)
 */
function succeededIn(release: string, runs: readonly DeploymentRun[]): Set<string> {
  return new Set(runs.filter((r) => r.kind === "deploy" && r.release === release && r.status === "succeeded").map((r) => r.environment));
}

/**
 * The lifecycle rule: a release may go to an environment only once it has succeeded in every environment
 * before it that may not be skipped. Redeploying where it already went is allowed; so is the first environment.
 * Pure: the release's runs in, a refusal (or nothing) out.
 */
export function promotionRefusal(lifecycle: Lifecycle, release: string, to: string, runs: readonly DeploymentRun[]): ConflictError | undefined {
  const index = lifecycle.indexOf(to);
  const succeeded = succeededIn(release, runs);
  const missing = lifecycle.environments.slice(0, index).filter((e) => !e.optional && !succeeded.has(e.name));
  if (missing.length === 0) return undefined;
  const names = missing.map((e) => e.name);
  const first = names[0] as string;
  return new ConflictError(
    `Release ${release} cannot go to ${to} yet: it has not succeeded in ${names.join(", ")}, which come${names.length === 1 ? "s" : ""} before ${to} in the lifecycle (${lifecycle.names.join(" → ")}).`,
    `Deploy it to ${first} first: \`slipway deploy ${release} --to ${first}\`${lifecycle.environments.some((e) => e.optional) ? "; only environments marked optional may be skipped" : ""}.`,
  );
}

/**
 * Where `slipway promote <release>` goes without --to: the environment after the furthest one the release
 * succeeded in, passing over optional ones only when the release never went there. Undefined once it reached the end.
 */
export function nextEnvironment(lifecycle: Lifecycle, release: string, runs: readonly DeploymentRun[]): string | undefined {
  const succeeded = succeededIn(release, runs);
  const furthest = [...lifecycle.names].reverse().find((name) => succeeded.has(name));
  return furthest === undefined ? lifecycle.names[0] : lifecycle.next(furthest)?.name;
}
