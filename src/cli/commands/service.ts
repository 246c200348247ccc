import { resolve } from "node:path";
import { checkDeploymentId } from "../../engine/deployment-id.js";
import { Interrupted, InterruptibleJournal } from "../../engine/interruption.js";
import { describePlan, type Plan } from "../../engine/plan.js";
import { InterruptedError } from "../../errors.js";
import { deployService, type ServiceStepOutput } from "../../../steps/service/index.js";
import type { TaskSetRunOptions } from "../../../steps/service/task-sets/index.js";
import { processOutput, type Output } from "../output.js";
import { stopOnSignal } from "../interrupt.js";
import { isInteractive, progressFor } from "../progress.js";
import { recordInvocation, refuseOtherInvocation, type Invocation } from "./invocation.js";
import { newDeploymentId } from "../../engine/deployment-id.js";
import { holdingLock, pacingFrom, withService, type PreparedService, type ServiceCommandOptions } from "./service-project.js";

export interface DeployOptions extends ServiceCommandOptions {
  taskDefinition?: string;
  dryRun?: boolean;
  json?: boolean;
  release?: string;
  deployment?: string;
}

function resultLine(output: ServiceStepOutput, env: string): string {
  const revision = output.taskDefinitionArn.replace(/^.*task-definition\//, "");
  return output.changed
    ? `deployed ${revision} to ${output.serviceName} in ${env}: ${output.status} (ECS deployment ${output.ecsDeploymentId})`
    : `${output.serviceName} in ${env} already runs ${revision} and is steady: nothing deployed`;
}

const planJson = (plan: Plan) => ({ actions: plan.actions.map(({ kind, key, summary }) => ({ kind, key, summary })), notes: plan.notes, diff: plan.diff });

/** One deploy of a service step, as `slipway service deploy` and `slipway resume` run it. */
export function runServiceDeploy(stepFile: string, opts: DeployOptions, io: Output): Promise<void> {
  // Refused before anything is read: a bad id would otherwise surface deep in the journal.
  if (opts.deployment !== undefined) checkDeploymentId(opts.deployment, "--deployment");
  return withService(stepFile, opts, async (p) => {
    const json = opts.json ?? false;
    const dryRun = opts.dryRun ?? false;
    const deploymentId = opts.deployment ?? newDeploymentId("service", p.target.environment, p.loaded.raw.service);
    // A dry run writes nothing, so it needs no lock and may look at a service another deployment is changing.
    if (dryRun) return deployOnce(p, stepFile, deploymentId, opts, io);
    const stop = stopOnSignal(io);
    try {
      return await holdingLock(p, deploymentId, json ? io.err : io.out, () => deployOnce(p, stepFile, deploymentId, opts, io, stop.signal));
    } catch (error) {
      // The task-set modes say where they stopped (an InterruptedError); what is left stopped before its next write.
      if (error instanceof Interrupted) throw new InterruptedError(`interrupted before its next write; run \`slipway resume ${deploymentId}\` to continue`);
      throw error;
    } finally {
      stop.dispose();
    }
  });
}

async function deployOnce(p: PreparedService, stepFile: string, deploymentId: string, opts: DeployOptions, io: Output, signal?: AbortSignal): Promise<void> {
  const json = opts.json ?? false;
  const dryRun = opts.dryRun ?? false;
  const pacing = pacingFrom(opts);
  const invocation: Invocation = { stepFile: resolve(stepFile), environment: opts.env, project: resolve(opts.project), ...(opts.release !== undefined && { release: opts.release }), ...(opts.taskDefinition !== undefined && { taskDefinition: opts.taskDefinition }) };
  // An earlier run's id continues what that run was started with: different flags are refused, not ignored (dry run too).
  if (opts.deployment !== undefined) await refuseOtherInvocation(p.journal, deploymentId, invocation);
  // What `slipway resume <deployment>` needs to run this again: written once, before anything else.
  if (!dryRun) await recordInvocation(p.journal, deploymentId, invocation);
  const options: TaskSetRunOptions = {
    progress: progressFor(io, { json, interactive: isInteractive(io, processOutput) }),
    records: p.records,
    ...(pacing && { pacing }),
    ...(opts.taskDefinition !== undefined && { override: opts.taskDefinition }),
    // Canary and blue/green approval stages wait on gates beside the journal, decided by `slipway approve|abort`.
    approvals: p.approvals,
    ...(signal && { signal }),
    onPlan: (made) => {
      if (json) return;
      for (const line of [...describePlan(made), ...made.diff]) io.out(line);
      if (!dryRun) io.out(`deployment ${deploymentId} (if interrupted: slipway resume ${deploymentId})`);
    },
  };
  // Ctrl-C stops the run before its next journalled write (see InterruptibleJournal), never in the middle of one.
  const journal = signal ? new InterruptibleJournal(p.journal, signal) : p.journal;
  const { plan, output } = await deployService(p.loaded, { target: p.target, deploymentId, journal, clients: p.clients, dryRun, ...(opts.release !== undefined && { release: opts.release }) }, options);
  if (json) {
    io.out(JSON.stringify({ deploymentId, dryRun, plan: planJson(plan), ...(output && { output }) }, null, 2));
    return;
  }
  if (dryRun) io.out("dry run: nothing was changed");
  else if (output) io.out(resultLine(output, p.target.environment));
}

/** The action of `deploy` (its definition, loaded at start, is in service-command.ts). */
export const deployAction = (io: Output) =>
  (stepFile: string, opts: DeployOptions) => runServiceDeploy(stepFile, opts, io);
