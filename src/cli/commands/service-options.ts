import type { Command } from "commander";

/** The arguments and options of a command on one service step in one environment (service deploy, history, rollback). */
export function serviceCommand(command: Command): Command {
  return command
    .argument("<service-step-file>", "the service step file (YAML or JSON)")
    .requiredOption("--env <env>", "the environment whose target (account, region, cluster) the service lives in")
    .option("--project <file>", "the project file", "slipway.yaml");
}

export function withPolling(command: Command): Command {
  return command.option("--poll-interval <seconds>", "seconds before the first status poll; polls back off to 3× this (default: 5)");
}
