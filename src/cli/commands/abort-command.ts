import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import { decisionOptions, withProject } from "./decision-options.js";
import type { Output } from "../output.js";

export function registerAbort(program: Command, io: Output): void {
  decisionOptions(withServer(withProject(program.command("abort"))), "aborts")
    .description("abort a deployment at any moment — at a gate, while it rolls out, pauses or shifts traffic, or after it was interrupted: it stops and what it changed goes back (status rolled-back)")
    .argument("<deployment>", "the deployment id (slipway status lists those in progress)")
    .option("--poll-interval <seconds>", "when this command rolls back an interrupted deployment: seconds between status polls (default: 5)")
    .action(throughServerOr(lazily(() => import("./abort.js"), (m) => m.abortAction(io)), lazily(() => import("../remote/remote-decisions.js"), (m) => m.abortAction(io))));
}
