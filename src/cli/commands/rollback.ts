import type { Command } from "commander";
import { EcsTaskDefinitions } from "../../aws/task-definitions.js";
import { newDeploymentId } from "../../engine/deployment-id.js";
import type { RollbackChange } from "../../releases/deployment-run.js";
import { releasesOfRevisions } from "../../releases/revision-releases.js";
import { RollbackRecording } from "../../releases/rollback-runs.js";
import { refuseUnfinished } from "../../releases/unfinished.js";
import { planRollback, type ServiceStepOutput } from "../../../steps/service/index.js";
import { processOutput, type Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { ConflictError, InputError } from "../../errors.js";
import { settingsFor } from "../../../steps/service/input.js";
import { revisionLabel } from "../../../steps/service/state.js";
import { startDeployment } from "../../releases/deployments.js";
import { rollbackTarget } from "../../releases/environment-rollback.js";
import { stopOnSignal } from "../interrupt.js";
import { cliActor, withProjectStore, type OpenProject } from "./project-store.js";
import { holdingLock, pacingFrom, withPolling, withService, type PreparedService, type ServiceCommandOptions } from "./service-project.js";

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
        `mode: ${mode} does not roll one service back in a single write: it would skip its task sets and traffic shifts. ${planned.service} runs ${revisionLabel(planned.from)}; its previous successful revision is ${back} (from ${planned.source}).`,
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

/** `slipway rollback`: the environment back to its last good release, or one service step back to its previous revision. */
export function registerRollback(program: Command, io: Output): void {
  withPolling(program.command("rollback"))
    .description("return an environment to its last successful release (or --to one that succeeded there) through its process, every mode alike, moving traffic at once; with a service step file, return only that service to its previous successful revision (rolling mode)")
    .argument("[service-step-file]", "only this service step's service, back to its previous successful revision (from ECS's service deployments, else slipway's records)")
    .requiredOption("--env <env>", "the environment to roll back")
    .option("--to <release>", "the release to return to (default: the last one that succeeded there before the one it runs now)")
    .option("--project <file>", "the project file", "slipway.yaml")
    .action((stepFile: string | undefined, opts: RollbackOptions) => {
      if (stepFile === undefined) return withProjectStore(opts.project, (p) => rollBackEnvironment(p, opts, io));
      if (opts.to !== undefined) throw new InputError("--to names a release: it rolls back the whole environment, not one service step.", `Leave out the step file: slipway rollback --env ${opts.env} --to ${opts.to}.`);
      return withService(stepFile, opts, (p) => rollBack(p, opts, io));
    });
}
