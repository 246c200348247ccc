import type { DeploymentRecords } from "../../src/engine/deployment-records.js";
import type { Plan } from "../../src/engine/plan.js";
import type { StepContext } from "../step.js";
import { finishRollout } from "./finish.js";
import { settingsFor } from "./input.js";
import type { LoadedServiceStep } from "./load.js";
import type { OutcomeStatus, WatchPacing } from "./mode.js";
import { modeEnvironment } from "./mode-environment.js";
import { modeFor } from "./modes.js";
import type { ServicePorts } from "./ports.js";
import type { DeploymentProgress } from "./progress.js";
import { resolveDesired, taskDefinitionDiff, type TaskDefinitionChoice } from "./resolve.js";
import { observe } from "./state.js";

/** What the service step hands on: the service and the revision it now runs. */
export interface ServiceStepOutput {
  serviceArn: string;
  serviceName: string;
  cluster: string;
  taskDefinitionArn: string;
  /** The ECS deployment that carried it out (or, when nothing changed, the one already in place). */
  ecsDeploymentId: string;
  /** False when the service already was what the step asks for: no write was made. */
  changed: boolean;
  status: OutcomeStatus;
}

/** How a deploy is run beyond the step's own input; every field has a default. */
export interface ServiceRunOptions extends TaskDefinitionChoice {
  /** Where progress goes. Default: nowhere. */
  progress?: DeploymentProgress;
  /** Where each deployment is recorded. Default: not recorded. */
  records?: DeploymentRecords;
  /** Poll pacing in wall-clock seconds. Default 5 s backing off to 15 s. The timeout comes from the step. */
  pacing?: Partial<Pick<WatchPacing, "minDelaySeconds" | "maxDelaySeconds">>;
  /** Shown the plan once it is made, before any write (and on a dry run): a person sees what will change before the wait. */
  onPlan?: (plan: Plan) => void;
  /** Ports to use instead of the SDK adapters built from ctx.clients. */
  ports?: ServicePorts;
  /**
   * Aborted on Ctrl-C, a server shutting down or a person's abort: the deployment stops at the next safe point —
   * no new write starts, waits end — and throws Interrupted. Pair it with an InterruptibleJournal. Default: runs to the end.
   */
  signal?: AbortSignal;
}


/**
 * Deploys the step to the context's target: reads the service, plans (dry run stops here), makes the one write
 * the plan holds through the mode, waits and records. A failed rollout throws a DeploymentFailedError after
 * its explanation went to the progress sink.
 */
export async function deployService(loaded: LoadedServiceStep, ctx: StepContext, options: ServiceRunOptions = {}): Promise<{ plan: Plan; output?: ServiceStepOutput }> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const env = modeEnvironment(ctx, options, settings.waitTimeoutSeconds);
  const mode = modeFor(settings.mode);
  if (mode.deploy) return mode.deploy(loaded, ctx, options);
  const described = await env.ports.services.describe(ctx.target.cluster, settings.service);
  // Whether Application Auto Scaling owns the desired count is part of the service's current state.
  const current = described ? { ...observe(described), scaling: await env.ports.scaling.ofService(ctx.target.cluster, settings.service) } : undefined;
  // Refused before anything else is read: a service the mode must not touch needs no diff.
  if (current) mode.refuseUnmanageable(current);
  const { desired, definition } = await resolveDesired(settings, ctx.target, env.ports, options);
  const facts = { taskDefinitionDiff: await taskDefinitionDiff(env.ports, current?.taskDefinitionArn, definition) };
  const plan = mode.plan(current, desired, facts);
  options.onPlan?.(plan);
  if (ctx.dryRun) return { plan };

  const rollout = await mode.apply(plan, current, desired, env);
  if (rollout.changed) env.progress.note(`started ECS deployment ${rollout.deploymentId} of ${plan.actions.map((a) => a.summary).join("; ")}`);
  else env.progress.note("nothing to change; checking the service is steady");
  const outcome = await finishRollout(rollout, { mode, env, kind: "deploy", environment: ctx.target.environment, ...(options.records && { records: options.records }), ...(ctx.release !== undefined && { release: ctx.release }) });
  return {
    plan,
    output: {
      serviceArn: rollout.serviceArn,
      serviceName: rollout.serviceName,
      cluster: rollout.cluster,
      taskDefinitionArn: rollout.taskDefinitionArn,
      ecsDeploymentId: rollout.deploymentId,
      changed: rollout.changed,
      status: outcome.status,
    },
  };
}
