import type { Store } from "../engine/store.js";
import { ConflictError } from "../errors.js";
import { finalStatuses, type DeploymentRun } from "./deployment-run.js";

/**
 * Asks a deployment to stop at its next safe point and roll back what it changed, recorded with who and why (and
 * in the audit log as `actor`, the key or CLI user that asked). Whoever runs it carries it out; who carries out an
 * abort of a run nobody runs is the caller's choice. Refused for a run that ended or a rollback (ECS carries
 * that out; there is nothing to stop).
 */
export async function requestAbort(store: Store, run: DeploymentRun, request: { by: string; reason?: string; actor: string; detail?: Record<string, unknown> }): Promise<void> {
  if (finalStatuses.includes(run.status)) throw new ConflictError(`Deployment ${run.id} already ended: ${run.status}.`, "There is nothing left to abort.");
  if (run.kind === "rollback") throw new ConflictError(`Deployment ${run.id} is a rollback: ECS carries it out, and slipway has nothing to stop.`, "Wait for it to end, then deploy the release you want there.");
  const { by, reason } = request;
  await store.runs.requestAbort(run.id, { by, ...(reason !== undefined && { reason }) });
  await store.audit.record({ actor: request.actor, action: "deployment.abort", environment: run.environment, subject: run.id, detail: { requested: true, ...request.detail, ...(reason !== undefined && { reason }) } });
}
