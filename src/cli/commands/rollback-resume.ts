import { ConflictError } from "../../errors.js";
import { finalStatuses, type RollbackRun } from "../../releases/deployment-run.js";
import { RollbackRecording } from "../../releases/rollback-runs.js";
import { continueRollback, type ServiceStepOutput } from "../../../steps/service/index.js";
import { processOutput, type Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { rolledBackLine } from "./rollback.js";
import { holdingServiceLock, pacingFrom, withEnvironment } from "./service-project.js";

/**
 * `slipway resume <id>` of a rollback whose process stopped watching it (killed, closed terminal): ECS carried on
 * with it, so nothing is written to the service — the ECS deployment it started is watched to its end and the
 * run records how it ended, which lets the environment deploy again.
 */
export async function resumeRollback(run: RollbackRun, opts: { project: string; pollInterval?: string }, io: Output): Promise<void> {
  const pacing = pacingFrom(opts);
  const { service } = run.rollback;
  await withEnvironment(opts.project, run.environment, ({ target, clients, store }) =>
    holdingServiceLock(store.locks, { environment: run.environment, service }, run.id, io.out, async () => {
      // Read again holding the lock: another resume may have finished it meanwhile.
      const now = await store.runs.get(run.id);
      if (!now || finalStatuses.includes(now.status)) throw new ConflictError(`Deployment ${run.id} already ended: ${now?.status ?? "gone"}.`, "There is nothing left to resume; `slipway status` shows what runs.");
      io.out(`resuming rollback ${run.id}: ${service} in ${run.environment}`);
      const recording = new RollbackRecording(store, run.id, clients.clock);
      await recording.watched();
      const progress = recording.progress(progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }));
      const { from, to, ecsDeploymentId } = run.rollback;
      let output: ServiceStepOutput;
      try {
        output = await continueRollback(
          { target, clients, deploymentId: run.id, journal: store.journal },
          { service, ecsDeploymentId, from: from.taskDefinition, to: to.taskDefinition, startedAt: new Date(now.startedAt ?? now.createdAt), ...(to.release !== undefined && { release: to.release }) },
          { progress, records: store.records, ...(pacing && { pacing }) },
        );
      } catch (error) {
        await recording.ended({ failure: error });
        throw error;
      }
      await recording.ended({ output });
      io.out(rolledBackLine(output, run.environment));
    }),
  );
}
