import type { Store } from "../engine/store.js";
import { ConflictError } from "../errors.js";
import type { DeploymentRun, ReleaseRun } from "./deployment-run.js";

function refusal(open: DeploymentRun, environment: string): ConflictError {
  if (open.kind === "rollback") {
    return new ConflictError(
      `Rollback ${open.id} of ${open.rollback.service} is ${open.status} in ${environment}; a new deployment there waits until it has ended.`,
      `Wait for it to finish; if the process running it was stopped, \`slipway resume ${open.id}\` watches the rollback to its end and records how it ended.`,
    );
  }
  return new ConflictError(
    `Deployment ${open.id} of release ${open.release} is ${open.status} in ${environment}; a new deployment there waits until it has ended.`,
    open.status === "running" ? "Wait for it to finish, or decide its gate (`slipway approve` / `slipway abort`)." : `Finish it with \`slipway resume ${open.id}\` (after \`slipway abort ${open.id}\` at its gate to roll it back instead).`,
  );
}

/**
 * A run left unfinished in the environment (interrupted, or waiting to be resumed) would be resumed later over
 * whatever was deployed meanwhile: it is finished first, resumed or aborted at its gate. Deployments of releases
 * and rollbacks both wait for it.
 */
export async function refuseUnfinished(store: Store, environment: string): Promise<void> {
  const open = await unfinishedRun(store, environment);
  if (open) throw refusal(open, environment);
}

/** The run — a release's deployment or a rollback — left unfinished in the environment (queued, running or interrupted), if any. */
async function unfinishedRun(store: Store, environment: string): Promise<DeploymentRun | undefined> {
  const [open] = await store.runs.list({ environment, status: ["queued", "running", "interrupted"], limit: 1 });
  return open;
}

/** The deployment of a release left unfinished in the environment, if any (an unfinished rollback is not one). */
export async function unfinishedDeployment(store: Store, environment: string): Promise<ReleaseRun | undefined> {
  const open = await unfinishedRun(store, environment);
  return open?.kind === "deploy" ? open : undefined;
}
