import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import { decisionOptions, withProject } from "./decision-options.js";
import type { Output } from "../output.js";

/** `slipway approve <deployment>`: the waiting deployment goes ahead. */
export function registerApprove(program: Command, io: Output): void {
  decisionOptions(withServer(withProject(program.command("approve"))), "approves")
    .description("approve a deployment waiting at a manual intervention gate: it goes ahead")
    .argument("<deployment>", "the deployment id (slipway approvals lists the waiting ones)")
    .action(throughServerOr(lazily(() => import("./approve.js"), (m) => m.approveAction(io)), lazily(() => import("../remote/remote-decisions.js"), (m) => m.approveAction(io))));
}
