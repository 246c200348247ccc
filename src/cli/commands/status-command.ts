import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import type { Output } from "../output.js";

// Each *-command.ts file holds a command's definition only — name, description, options, arguments — and loads
// what it does when it runs: importing every command's stores, steps and AWS clients cost every start 0.85 s and
// 95 MB, --help included (issue 15).
export function registerStatus(program: Command, io: Output): void {
  withServer(program.command("status"))
    .description("environments × releases: what runs where, and what is in progress")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--json", "print JSON (default: text)")
    .action(
      throughServerOr(
        lazily(() => import("./status.js"), (m) => (opts: { project: string; json?: boolean }) => m.showStatus(opts, io)),
        lazily(() => import("../remote/remote-status.js"), (m) => m.statusAction(io)),
      ),
    );
}
