import { NotFoundError } from "../../src/errors.js";
import type { StepContext } from "../step.js";
import type { ServiceRunOptions, ServiceStepOutput } from "./deploy.js";
import { modeEnvironment } from "./mode-environment.js";
import { finishRollout } from "./finish.js";
import { defaultWaitTimeoutSeconds, settingsFor } from "./input.js";
import type { LoadedServiceStep } from "./load.js";
import type { ModeEnvironment, Rollout, ServiceMode } from "./mode.js";
import { modeFor } from "./modes.js";
import { previousRevision } from "./previous-revision.js";
import type { TaskDefinitionChoice } from "./resolve.js";
import { observe, revisionLabel } from "./state.js";

export type RollbackOptions = Omit<ServiceRunOptions, keyof TaskDefinitionChoice>;

/** A rollback worked out from what ECS and slipway's records say, with nothing written yet. */
export interface PlannedRollback {
  service: string;
  cluster: string;
  /** The revision the service runs now. */
  from: string;
  /** The previous successful revision it returns to. */
  to: string;
  /** Where `to` was found, for telling people. */
  source: string;
  /** Makes the mode's write. A task-set mode refuses here instead, before any write (it would skip the canary's stages). */
  start(): Promise<StartedRollback>;
}

/** A rollback whose write is made: ECS carries it out from here. */
export interface StartedRollback {
  rollout: Rollout;
  /** Waits for it and records it like a deploy (same progress, same explained failure, recorded as a rollback, with the release when known). */
  finish(options?: { release?: string }): Promise<ServiceStepOutput>;
}

function outputOf(rollout: Rollout, status: ServiceStepOutput["status"]): ServiceStepOutput {
  return { serviceArn: rollout.serviceArn, serviceName: rollout.serviceName, cluster: rollout.cluster, taskDefinitionArn: rollout.taskDefinitionArn, ecsDeploymentId: rollout.deploymentId, changed: rollout.changed, status };
}

async function watch(rollout: Rollout, mode: ServiceMode, env: ModeEnvironment, ctx: StepContext, options: RollbackOptions, release: string | undefined): Promise<ServiceStepOutput> {
  const outcome = await finishRollout(rollout, { mode, env, kind: "rollback", environment: ctx.target.environment, ...(options.records && { records: options.records }), ...(release !== undefined && { release }) });
  return outputOf(rollout, outcome.status);
}

/**
 * `slipway rollback`: returns the environment's service to its previous successful revision through the step's
 * mode, in three steps a caller can record between — plan (reads only), start (the mode's write), finish (waits
 * and records, like a deploy). Refusals — no service, one the mode must not touch, no earlier revision — come from
 * planning, before anything is written; a task-set mode's from start, before its write.
 */
export async function planRollback(loaded: LoadedServiceStep, ctx: StepContext, options: RollbackOptions = {}): Promise<PlannedRollback> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const env = modeEnvironment(ctx, options, settings.waitTimeoutSeconds);
  const mode = modeFor(settings.mode);
  const described = await env.ports.services.describe(ctx.target.cluster, settings.service);
  if (!described) throw new NotFoundError(`The service ${settings.service} does not exist in ${ctx.target.cluster}, so there is nothing to roll back.`, "Deploy it first with slipway service deploy.");
  const current = observe(described);
  mode.refuseUnmanageable(current);
  const from = current.taskDefinitionArn;
  if (from === undefined) throw new NotFoundError(`The service ${current.name} runs no task definition, so there is nothing to roll back from.`, "Deploy a known-good release with slipway service deploy --task-definition family:revision instead.");
  const target = await previousRevision(current, env.ports, options.records, ctx.target.environment);
  return {
    service: current.name,
    cluster: current.cluster,
    from,
    to: target.taskDefinitionArn,
    source: target.source,
    async start() {
      const rollout = await mode.rollback(current, target.taskDefinitionArn, env);
      return {
        rollout,
        finish: async ({ release } = {}) => {
          // Said once the mode has started it: a task-set mode refuses instead, and its refusal must not follow
          // a line saying the service is being rolled back.
          env.progress.note(`rolling ${current.name} back from ${revisionLabel(from)} to ${revisionLabel(target.taskDefinitionArn)} (the previous successful revision, from ${target.source})`);
          return watch(rollout, mode, env, ctx, options, release ?? ctx.release);
        },
      };
    },
  };
}

/** A rollback another process started (its write is made) and stopped watching. */
export interface StartedElsewhere {
  service: string;
  /** The ECS deployment that carries it out. */
  ecsDeploymentId: string;
  from: string;
  to: string;
  startedAt: Date;
  release?: string;
}

/**
 * `slipway resume` of a rollback: watches the ECS deployment it started to its end and records it, writing
 * nothing to the service. Only the rolling mode rolls back in one step, so it is the mode that watches; without
 * the step file the wait is slipway's default.
 */
export async function continueRollback(ctx: StepContext, started: StartedElsewhere, options: RollbackOptions = {}): Promise<ServiceStepOutput> {
  const mode = modeFor("rolling");
  const env = modeEnvironment(ctx, options, defaultWaitTimeoutSeconds);
  const described = await env.ports.services.describe(ctx.target.cluster, started.service);
  if (!described) throw new NotFoundError(`The service ${started.service} does not exist in ${ctx.target.cluster} any more, so its rollback cannot be watched.`, "Deploy it again with slipway deploy or slipway service deploy.");
  const current = observe(described);
  const rollout: Rollout = {
    cluster: current.cluster,
    serviceName: current.name,
    serviceArn: current.arn,
    deploymentId: started.ecsDeploymentId,
    taskDefinitionArn: started.to,
    sourceTaskDefinitionArn: started.from,
    changed: true,
    startedAt: started.startedAt,
    // Events from before now were told (or missed) by the process that stopped: only new ones are shown.
    seenEventIds: current.eventIds,
    circuitBreaker: current.deployment.circuitBreaker,
    stages: [],
  };
  env.progress.note(`watching the rollback of ${current.name} from ${revisionLabel(started.from)} to ${revisionLabel(started.to)} (ECS deployment ${started.ecsDeploymentId})`);
  return watch(rollout, mode, env, ctx, options, started.release);
}
