import type { Command } from "commander";

/** The project whose store holds the gates: `slipway approvals`, `approve` and `abort`. */
export function withProject(command: Command): Command {
  return command.option("--project <file>", "the project file; its store (.slipway/ beside it, or DATABASE_URL) holds the gates", "slipway.yaml");
}

/** The options of a decision, `slipway approve` and `slipway abort` alike: which gate, who, why. */
export function decisionOptions(command: Command, who: string): Command {
  return command
    .option("--stage <stage>", "which gate, when the deployment has several waiting (default: its only waiting one)")
    .option("--as <name>", `who ${who} (default: $USER)`)
    .option("--reason <text>", "why, for the record");
}
