import { NotFoundError } from "../../src/errors.js";
import type { StepContext } from "../step.js";
import { modeEnvironment, type ServiceRunOptions, type ServiceStepOutput } from "./deploy.js";
import { finishRollout } from "./finish.js";
import { settingsFor } from "./input.js";
import type { LoadedServiceStep } from "./load.js";
import { modeFor } from "./modes.js";
import { previousRevision } from "./previous-revision.js";
import type { TaskDefinitionChoice } from "./resolve.js";
import { observe, revisionLabel } from "./state.js";

/**
 * `slipway rollback`: returns the environment's service to its previous successful revision, through the
 * step's mode, and waits for it like a deploy (same progress, same explained failure, recorded as a rollback).
 */
export async function rollbackService(loaded: LoadedServiceStep, ctx: StepContext, options: Omit<ServiceRunOptions, keyof TaskDefinitionChoice> = {}): Promise<ServiceStepOutput> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const env = modeEnvironment(ctx, options, settings.waitTimeoutSeconds);
  const mode = modeFor(settings.mode);
  const described = await env.ports.services.describe(ctx.target.cluster, settings.service);
  if (!described) throw new NotFoundError(`The service ${settings.service} does not exist in ${ctx.target.cluster}, so there is nothing to roll back.`, "Deploy it first with slipway service deploy.");
  const current = observe(described);
  mode.refuseUnmanageable(current);
  const target = await previousRevision(current, env.ports, options.records, ctx.target.environment);
  const rollout = await mode.rollback(current, target.taskDefinitionArn, env);
  // Said once the mode has started it: a task-set mode refuses instead (it would skip the canary's stages), and
  // its refusal must not follow a line saying the service is being rolled back.
  env.progress.note(`rolling ${current.name} back from ${revisionLabel(current.taskDefinitionArn)} to ${revisionLabel(target.taskDefinitionArn)} (the previous successful revision, from ${target.source})`);
  const outcome = await finishRollout(rollout, { mode, env, kind: "rollback", environment: ctx.target.environment, ...(options.records && { records: options.records }), ...(ctx.release !== undefined && { release: ctx.release }) });
  return {
    serviceArn: rollout.serviceArn,
    serviceName: rollout.serviceName,
    cluster: rollout.cluster,
    taskDefinitionArn: rollout.taskDefinitionArn,
    ecsDeploymentId: rollout.deploymentId,
    changed: rollout.changed,
    status: outcome.status,
  };
}
