import type { DeploymentRecord, DeploymentRecords } from "../../src/engine/deployment-records.js";
import { DeploymentFailedError } from "../../src/errors.js";
import { explainFailure } from "./explain.js";
import type { ModeEnvironment, Rollout, RolloutOutcome, ServiceMode } from "./mode.js";
import { revisionLabel } from "./state.js";

export interface FinishContext {
  mode: ServiceMode;
  env: ModeEnvironment;
  records?: DeploymentRecords;
  kind: DeploymentRecord["kind"];
  environment: string;
  release?: string;
}

function record(rollout: Rollout, outcome: RolloutOutcome, ctx: FinishContext): DeploymentRecord {
  return {
    deploymentId: ctx.env.execution.deploymentId,
    kind: ctx.kind,
    environment: ctx.environment,
    cluster: rollout.cluster,
    service: rollout.serviceName,
    mode: ctx.mode.name,
    ...(ctx.release !== undefined && { release: ctx.release }),
    ecsDeploymentId: rollout.deploymentId,
    ...(rollout.sourceTaskDefinitionArn !== undefined && { sourceTaskDefinition: rollout.sourceTaskDefinitionArn }),
    targetTaskDefinition: rollout.taskDefinitionArn,
    startedAt: rollout.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    status: outcome.status,
    circuitBreaker: { enabled: rollout.circuitBreaker.enable, rollback: rollout.circuitBreaker.rollback, tripped: outcome.circuitBreakerTripped },
    failedTasks: outcome.failedTasks,
    ...(outcome.status !== "SUCCESSFUL" && { reason: outcome.reason }),
  };
}

/**
 * Waits for the rollout, records it (when something was written), and on failure explains it — stopped tasks,
 * last events, whether ECS rolled back — then throws a DeploymentFailedError. Shared by deploy and rollback.
 */
export async function finishRollout(rollout: Rollout, ctx: FinishContext): Promise<RolloutOutcome> {
  const outcome = await ctx.mode.wait(rollout, ctx.env);
  if (rollout.changed) await ctx.records?.append(record(rollout, outcome, ctx));
  if (outcome.status === "SUCCESSFUL") return outcome;
  // Best effort: failing to read the stopped tasks must not hide the verdict, which is already known.
  const stopped = await ctx.env.ports.stoppedTasks.stopped(rollout.cluster, rollout.serviceName, { startedBy: rollout.deploymentId, limit: 5 }).catch(() => []);
  for (const line of explainFailure(rollout, outcome, stopped)) ctx.env.progress.note(line);
  const target = revisionLabel(rollout.taskDefinitionArn);
  const verb = ctx.kind === "rollback" ? "Rolling back" : "Deploying";
  throw new DeploymentFailedError(
    `${verb} ${rollout.serviceName} to ${target} ${outcome.status === "TIMED_OUT" ? "timed out" : "failed"} (${outcome.status}).`,
    outcome.rolledBackTo
      ? `ECS rolled the service back to ${revisionLabel(outcome.rolledBackTo)}. Fix what the stopped tasks show, then deploy a new release.`
      : `Fix what the stopped tasks and events show and deploy again, or return to the previous revision with \`slipway rollback\`.`,
  );
}
