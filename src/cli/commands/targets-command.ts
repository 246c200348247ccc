import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

/** `slipway targets`: where each environment deploys to, in lifecycle order. */
export function registerTargets(program: Command, io: Output): void {
  program
    .command("targets")
    .description("list the environments in promotion order with the ECS target each deploys to")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--json", "print JSON instead of a table (default: a table)")
    .action(lazily(() => import("./targets.js"), (m) => m.targetsAction(io)));
}
