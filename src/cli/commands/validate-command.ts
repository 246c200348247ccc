import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

/** `slipway validate [file]`: checks a project (with its targets file) or a targets file, reporting every problem at once. */
export function registerValidate(program: Command, io: Output): void {
  program
    .command("validate")
    .description("check a project or targets file against its schema and the other files it refers to")
    .argument("[file]", "the file to check; its kind: says whether it is a project or a targets file", "slipway.yaml")
    .option("--revisions", "also read each target's task definition revisions and warn about any that hold a secret's value in a plain environment entry (default: the files only, no AWS call)")
    .action(lazily(() => import("./validate.js"), (m) => (file: string, opts: { revisions?: boolean }) => m.validate(file, opts, io)));
}
