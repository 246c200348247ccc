import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import { withPolling } from "./service-options.js";
import type { Output } from "../output.js";

/** `slipway rollback`: the environment back to its last good release, or one service step back to its previous revision. */
export function registerRollback(program: Command, io: Output): void {
  withServer(withPolling(program.command("rollback")))
    .description("return an environment to its last successful release (or --to one that succeeded there) through its process, every mode alike, moving traffic at once; with a service step file, return only that service to its previous successful revision (rolling mode)")
    .argument("[service-step-file]", "only this service step's service, back to its previous successful revision (from ECS's service deployments, else slipway's records)")
    .requiredOption("--env <env>", "the environment to roll back")
    .option("--to <release>", "the release to return to (default: the last one that succeeded there before the one it runs now)")
    .option("--project <file>", "the project file", "slipway.yaml")
    .action(throughServerOr(lazily(() => import("./rollback.js"), (m) => m.rollbackAction(io)), lazily(() => import("../remote/remote-rollback.js"), (m) => m.rollbackAction(io))));
}
