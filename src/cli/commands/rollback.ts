import { EcsTaskDefinitions } from "../../aws/task-definitions.js";
import { newDeploymentId } from "../../engine/deployment-id.js";
import { setTimeout as sleep } from "node:timers/promises";
import { finalStatuses, type ReleaseRun, type RollbackChange } from "../../releases/deployment-run.js";
import { releasesOfRevisions } from "../../releases/revision-releases.js";
import { RollbackRecording } from "../../releases/rollback-runs.js";
import { refuseUnfinished, unfinishedDeployment } from "../../releases/unfinished.js";
import { planRollback, type ServiceStepOutput } from "../../../steps/service/index.js";
import { processOutput, type Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { ConflictError, DeploymentFailedError, InputError, InterruptedError } from "../../errors.js";
import { settingsFor } from "../../../steps/service/input.js";
import { revisionLabel } from "../../../steps/service/state.js";
import { startDeployment } from "../../releases/deployments.js";
import { lastGoodRelease, rollbackTarget } from "../../releases/environment-rollback.js";
import { stopOnSignal } from "../interrupt.js";
import { abortFromCli, carryOutAbort, endedByAbort } from "./abort.js";
import { cliActor, withProjectStore, type OpenProject } from "./project-store.js";
import { holdingLock, pacingFrom, withService, type PreparedService, type ServiceCommandOptions } from "./service-project.js";

/** The last line of a rollback, started here or resumed. */
export const rolledBackLine = (output: ServiceStepOutput, environment: string) =>
  `rolled ${output.serviceName} in ${environment} back to ${output.taskDefinitionArn.replace(/^.*task-definition\//, "")}: ${output.status} (ECS deployment ${output.ecsDeploymentId})`;

/**
 * A rollback is a deployment like any other: it holds the service's lock, waits for any run left unfinished in
 * the environment, and is recorded in the project's store as a run of kind rollback — who, when, from and to (each
 * revision with its release when one is known) — so status, history, the API and the dashboard say what runs.
 */
async function rollBack(p: PreparedService, opts: ServiceCommandOptions, io: Output): Promise<void> {
  const pacing = pacingFrom(opts);
  const environment = p.target.environment;
  const { mode } = settingsFor(p.loaded.raw, environment);
  const deploymentId = newDeploymentId("rollback", environment, p.loaded.raw.service);
  await holdingLock(p, deploymentId, io.out, async () => {
    // Checked holding the lock: no run of this service can start in between.
    await refuseUnfinished(p.store, environment);
    const recording = new RollbackRecording(p.store, deploymentId, p.clients.clock);
    const progress = recording.progress(progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }));
    const ctx = { target: p.target, deploymentId, journal: p.journal, clients: p.clients };
    const planned = await planRollback(p.loaded, ctx, { progress, records: p.records, ...(pacing && { pacing }) });
    if (mode !== "rolling") {
      // Refused before any write, with what it found: the commands that do roll such a service back, filled in.
      const back = revisionLabel(planned.to);
      throw new ConflictError(
        `mode: ${mode} does not roll one service back in a single write: it would skip its ${mode.startsWith("ecs-") ? "traffic shifts and bake" : "task sets and traffic shifts"}. ${planned.service} runs ${revisionLabel(planned.from)}; its previous successful revision is ${back} (from ${planned.source}).`,
        `Roll ${environment} back to its last successful release — every service, traffic moved at once: slipway rollback --env ${environment}. Or deploy ${back} through the step's stages: slipway service deploy ${p.loaded.file} --env ${environment} --task-definition ${back}`,
      );
    }
    // Read before the write: once ECS rolls back, its record must be complete.
    const releases = await releasesOfRevisions(p.store, environment, new EcsTaskDefinitions(p.clients.ecs), [planned.from, planned.to]);
    const at = (arn: string) => ({ taskDefinition: arn, ...(releases.get(arn) !== undefined && { release: releases.get(arn) as string }) });
    const started = await planned.start();
    // Only now: a mode that refuses (a canary would skip its stages) started nothing, and no id names nothing.
    io.out(`deployment ${deploymentId}`);
    const change: RollbackChange = { service: planned.service, cluster: planned.cluster, ecsDeploymentId: started.rollout.deploymentId, from: at(planned.from), to: at(planned.to) };
    await recording.started({ environment, requestedBy: cliActor(), change, serviceArn: started.rollout.serviceArn, startedAt: started.rollout.startedAt });
    let output: ServiceStepOutput;
    try {
      output = await started.finish(change.to.release !== undefined ? { release: change.to.release } : {});
    } catch (error) {
      await recording.ended({ failure: error });
      throw error;
    }
    await recording.ended({ output });
    io.out(rolledBackLine(output, environment));
  });
}

interface RollbackOptions extends ServiceCommandOptions {
  to?: string;
}

/**
 * `slipway rollback --env <env> [--to <release>]`: the environment back to its last successful release (or the one
 * named) — every service of the process, whatever its mode — as a deployment of that release which moves traffic
 * at once (ReleaseRun.replaces).
 */
async function rollBackEnvironment(p: OpenProject, opts: RollbackOptions, io: Output): Promise<void> {
  const pacing = pacingFrom(opts);
  const unfinished = await unfinishedDeployment(p.store, opts.env);
  if (unfinished) {
    const back = await abortFirst(p, unfinished, io, pacing);
    if (opts.to === undefined || opts.to === back) {
      io.out(`${opts.env} runs ${back ? `release ${back}` : "what it ran before"} again (deployment ${unfinished.id} of release ${unfinished.release} rolled back)`);
      return;
    }
  }
  const { release, replaces } = await rollbackTarget(p.store, opts.env, opts.to);
  const started = await startDeployment(p.deploying, { release, environment: opts.env, actor: cliActor(), replaces });
  io.out(`rolling ${opts.env} back from release ${replaces} to ${release}: deployment ${started.run.id} (if interrupted: slipway resume ${started.run.id})`);
  const stop = stopOnSignal(io);
  try {
    await started.execute({ progress: progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }), say: io.out, signal: stop.signal, ...(pacing && { pacing }) });
  } finally {
    stop.dispose();
  }
  io.out(`${opts.env} runs release ${release} again (rolled back from ${replaces}; deployment ${started.run.id})`);
}

/**
 * A deployment still in progress (or interrupted) in the environment still has the task sets of what ran before
 * it: aborting it is the quickest way back — traffic returns to them at once, then the newer capacity goes — so
 * `rollback --env` does that first, and waits until it is done (whoever carries it out). Returns the release the
 * environment runs again: the last one that succeeded there.
 */
async function abortFirst(p: OpenProject, run: ReleaseRun, io: Output, pacing: ReturnType<typeof pacingFrom>): Promise<string | undefined> {
  const why = `slipway rollback --env ${run.environment}`;
  io.out(`deployment ${run.id} of release ${run.release} is ${run.status} in ${run.environment}: aborting it first — its services go back to what ran before, traffic at once`);
  // At a gate too: the run decides its open gate "aborted" by whoever asked when it carries the abort out.
  const here = await abortFromCli(p.store, run, cliActor(), why);
  if (here) await carryOutAbort(p.deploying, p.store, here, io, pacing);
  else await untilEnded(p, run.id, io);
  const ended = await p.store.runs.get(run.id);
  if (!endedByAbort(ended)) {
    throw new DeploymentFailedError(`Deployment ${run.id} did not roll back (it is ${ended?.status ?? "gone"}), so ${run.environment} was not rolled back.`, ended?.error?.hint ?? `\`slipway status\` shows where it stands; \`slipway abort ${run.id}\` tries again.`);
  }
  return lastGoodRelease(p.store, run.environment);
}

/** Waits for a run another process carries out to end, reading the store once a second; Ctrl-C stops waiting only. */
async function untilEnded(p: OpenProject, id: string, io: Output): Promise<void> {
  io.out(`waiting for the process running ${id} to roll it back`);
  const stop = stopOnSignal(io);
  try {
    for (;;) {
      const run = await p.store.runs.get(id);
      if (!run || finalStatuses.includes(run.status)) return;
      await sleep(1_000, undefined, { signal: stop.signal }).catch(() => {
        throw new InterruptedError(`stopped waiting for deployment ${id} to roll back; the abort stands and its runner carries it out`, "`slipway status` shows when it has; then run `slipway rollback --env` again if you named --to.");
      });
    }
  } finally {
    stop.dispose();
  }
}

/** The action of `rollback` (its definition, loaded at start, is in rollback-command.ts). */
export const rollbackAction = (io: Output) =>
  (stepFile: string | undefined, opts: RollbackOptions) => {
    if (stepFile === undefined) return withProjectStore(opts.project, (p) => rollBackEnvironment(p, opts, io));
    if (opts.to !== undefined) throw new InputError("--to names a release: it rolls back the whole environment, not one service step.", `Leave out the step file: slipway rollback --env ${opts.env} --to ${opts.to}.`);
    return withService(stepFile, opts, (p) => rollBack(p, opts, io));
  };
