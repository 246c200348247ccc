import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { registerAbort } from "./abort-command.js";
import { registerApprove } from "./approve-command.js";
import { withProject } from "./decision-options.js";
import type { Output } from "../output.js";

/** `slipway approvals`, `slipway approve` and `slipway abort`: manual intervention from any terminal. */
export function registerApprovals(program: Command, io: Output): void {
  withProject(program.command("approvals"))
    .description("list the approval gates waiting for a decision, with what to check")
    .option("--all", "include decided gates and their decisions (default: waiting ones only)")
    .option("--json", "print the gates as JSON (default: a table)")
    .action(lazily(() => import("./approvals.js"), (m) => m.approvalsAction(io)));
  registerApprove(program, io);
  registerAbort(program, io);
}
