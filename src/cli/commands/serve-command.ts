import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

export function registerServe(program: Command, io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>): void {
  program
    .command("serve")
    .description("serve the HTTP API (releases, deployments with live progress, approvals, history) and the task definition feed")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--port <n>", "port to listen on (0 picks a free one)", "4600")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--open", "serve without API keys, every request acting as open:<your login>; allowed on loopback only (default: keys required)")
    .option("--poll-interval <seconds>", "seconds before a deployment's first status poll; polls back off to 3× this (default: 5)")
    .action(lazily(() => import("./serve.js"), (m) => m.serveAction(io, keepAlive)));
}
