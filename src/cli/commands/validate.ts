import type { Command } from "commander";
import { validateFile } from "../../config/load.js";
import type { Output } from "../output.js";

/** `slipway validate [file]`: checks a project (with its targets file) or a targets file, reporting every problem at once. */
export function registerValidate(program: Command, io: Output): void {
  program
    .command("validate")
    .description("check a project or targets file against its schema and the other files it refers to")
    .argument("[file]", "the file to check; its kind: says whether it is a project or a targets file", "slipway.yaml")
    .action((file: string) => {
      // Problems are thrown as one InputError and printed by report(), which exits 2.
      for (const valid of validateFile(file)) io.out(`OK ${valid}`);
    });
}
