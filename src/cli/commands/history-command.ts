import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import type { Output } from "../output.js";

/** `slipway history`: an environment's deployments, or with a service step file that service's ECS deployments. */
export function registerHistory(program: Command, io: Output): void {
  withServer(program.command("history"))
    .description("list an environment's deployments newest first — release, who, outcome, each service's revisions; with a service step file, that service's ECS deployments: revisions, status, circuit breaker, failed tasks")
    .argument("[service-step-file]", "a service step file (YAML or JSON): that service's own deployment history")
    .requiredOption("--env <env>", "the environment")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--json", "print the entries as JSON (default: a table)")
    .option("--limit <n>", "how many deployments to show", "20")
    .action(throughServerOr(lazily(() => import("./history.js"), (m) => m.historyAction(io)), lazily(() => import("../remote/remote-status.js"), (m) => m.historyAction(io))));
}
