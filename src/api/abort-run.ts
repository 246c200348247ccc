import { requestAbort } from "../releases/abort-request.js";
import type { DeploymentRun } from "../releases/deployment-run.js";
import { resumeDeployment } from "../releases/deployments.js";
import { runInBackground } from "./background.js";
import type { ApiContext } from "./context.js";

/**
 * An abort asked for through the API (POST /deployments/{id}/abort, an environment's rollback): requested with who
 * and why, and carried out by this server when no process runs the deployment (interrupted) — it resumes the run,
 * which finds the abort before its next step and rolls back what it changed. A running one's runner sees it itself.
 */
export async function abortThroughServer(ctx: ApiContext, run: DeploymentRun, request: { by: string; reason?: string }): Promise<void> {
  await requestAbort(ctx.store, run, { ...request, actor: request.by });
  if (run.status === "interrupted") void runInBackground(ctx.store, run, (options) => resumeDeployment(ctx.deploying, run.id, options), ctx.background);
}
