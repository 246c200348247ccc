import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { serviceCommand, withPolling } from "./service-options.js";
import type { Output } from "../output.js";

/** `slipway service deploy`: the service step on its own. */
export function registerService(program: Command, io: Output): void {
  const service = program.command("service").description("deploy ECS services from a service step file");

  withPolling(serviceCommand(service.command("deploy")))
    .description("create or update the service to run a task definition revision (rolling, canary or blue/green, as the step's mode says), wait, and explain a failure (exit 3)")
    .option("--task-definition <ref>", "the revision to deploy: family:revision, an ARN or a family (default: the step's taskDefinition:)")
    .option("--dry-run", "print the plan (every stage's AWS writes, task definition diff, count and configuration changes) and stop before any AWS write (default: deploy)")
    .option("--json", "print the plan and the result as JSON on stdout; progress goes to stderr (default: text)")
    .option("--release <version>", "the release being deployed, kept in slipway's deployment records and on task sets (default: none)")
    .option("--deployment <id>", "the deployment id whose journal to use; give an earlier run's id to resume it (default: a new id)")
    .action(lazily(() => import("./service.js"), (m) => m.deployAction(io)));
}
