import type { Command } from "commander";
import { describePlan, type Plan } from "../../engine/plan.js";
import { deployService, type ServiceStepOutput } from "../../../steps/service/index.js";
import { processOutput, type Output } from "../output.js";
import { isInteractive, progressFor } from "../progress.js";
import { newDeploymentId, pacingFrom, serviceCommand, withPolling, withService, type ServiceCommandOptions } from "./service-project.js";

interface DeployOptions extends ServiceCommandOptions {
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

/** `slipway service deploy`: the service step on its own. */
export function registerService(program: Command, io: Output): void {
  const service = program.command("service").description("deploy ECS services from a service step file");

  withPolling(serviceCommand(service.command("deploy")))
    .description("create or update the service to run a task definition revision, wait for a steady state, and explain a failure (exit 3)")
    .option("--task-definition <ref>", "the revision to deploy: family:revision, an ARN or a family (default: the step's taskDefinition:)")
    .option("--dry-run", "print the plan (task definition diff, count and configuration changes) and stop before any AWS write (default: deploy)")
    .option("--json", "print the plan and the result as JSON on stdout; progress goes to stderr (default: text)")
    .option("--release <version>", "the release being deployed, kept in slipway's deployment records (default: none)")
    .option("--deployment <id>", "the deployment id whose journal to use; give an earlier run's id to resume it (default: a new id)")
    .action((stepFile: string, opts: DeployOptions) =>
      withService(stepFile, opts, async (p) => {
        const json = opts.json ?? false;
        const dryRun = opts.dryRun ?? false;
        const deploymentId = opts.deployment ?? newDeploymentId("service", p.target.environment, p.loaded.raw.service);
        const pacing = pacingFrom(opts);
        const { plan, output } = await deployService(
          p.loaded,
          { target: p.target, deploymentId, journal: p.journal, clients: p.clients, dryRun, ...(opts.release !== undefined && { release: opts.release }) },
          {
            progress: progressFor(io, { json, interactive: isInteractive(io, processOutput) }),
            records: p.records,
            ...(pacing && { pacing }),
            ...(opts.taskDefinition !== undefined && { override: opts.taskDefinition }),
            onPlan: (made) => {
              if (json) return;
              for (const line of [...describePlan(made), ...made.diff]) io.out(line);
              if (!dryRun) io.out(`deployment ${deploymentId}`);
            },
          },
        );
        if (json) {
          io.out(JSON.stringify({ deploymentId, dryRun, plan: planJson(plan), ...(output && { output }) }, null, 2));
          return;
        }
        if (dryRun) io.out("dry run: nothing was changed");
        else if (output) io.out(resultLine(output, p.target.environment));
      }),
    );
}
