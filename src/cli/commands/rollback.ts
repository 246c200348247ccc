import type { Command } from "commander";
import { rollbackService } from "../../../steps/service/index.js";
import { processOutput, type Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { newDeploymentId } from "../../engine/deployment-id.js";
import { holdingLock, pacingFrom, serviceCommand, withPolling, withService, type ServiceCommandOptions } from "./service-project.js";

/** `slipway rollback`: the environment's service back to its previous successful revision. */
export function registerRollback(program: Command, io: Output): void {
  withPolling(serviceCommand(program.command("rollback")))
    .description("return the environment's service to its previous successful revision (from ECS's service deployments, else slipway's records) and wait for it")
    .action((stepFile: string, opts: ServiceCommandOptions) =>
      withService(stepFile, opts, async (p) => {
        const pacing = pacingFrom(opts);
        const deploymentId = newDeploymentId("rollback", p.target.environment, p.loaded.raw.service);
        io.out(`deployment ${deploymentId}`);
        await holdingLock(p, deploymentId, io.out, async () => {
          const output = await rollbackService(
            p.loaded,
            { target: p.target, deploymentId, journal: p.journal, clients: p.clients },
            { progress: progressFor(io, { json: false, interactive: isInteractive(io, processOutput) }), records: p.records, ...(pacing && { pacing }) },
          );
          io.out(`rolled ${output.serviceName} in ${p.target.environment} back to ${output.taskDefinitionArn.replace(/^.*task-definition\//, "")}: ${output.status} (ECS deployment ${output.ecsDeploymentId})`);
        });
      }),
    );
}
