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
import { cliActor } from "./project-store.js";
import { holdingLock, pacingFrom, serviceCommand, withPolling, withService, type PreparedService, type ServiceCommandOptions } from "./service-project.js";

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
  const deploymentId = newDeploymentId("rollback", environment, p.loaded.raw.service);
  await holdingLock(p, deploymentId, io.out, async () => {
    // Checked holding the lock: no run of this service can start in between.
    await refuseUnfinished(p.store, environment);
    const recording = new RollbackRecording(p.store, deploymentId);
    const progress = recording.progress(progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }));
    const ctx = { target: p.target, deploymentId, journal: p.journal, clients: p.clients };
    const planned = await planRollback(p.loaded, ctx, { progress, records: p.records, ...(pacing && { pacing }) });
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

/** `slipway rollback`: the environment's service back to its previous successful revision. */
export function registerRollback(program: Command, io: Output): void {
  withPolling(serviceCommand(program.command("rollback")))
    .description("return the environment's service to its previous successful revision (from ECS's service deployments, else slipway's records), wait for it, and record it as a deployment (status and history show it)")
    .action((stepFile: string, opts: ServiceCommandOptions) => withService(stepFile, opts, (p) => rollBack(p, opts, io)));
}
