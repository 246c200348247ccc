import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

export function registerResume(program: Command, io: Output): void {
  program
    .command("resume")
    .description("continue an interrupted deployment from its journal: it finishes, or finishes rolling back (exit 3)")
    .argument("<deployment>", "the deployment id a deploy printed")
    .option("--project <file>", "the project file; its store (.slipway/ beside it, or DATABASE_URL) holds the journals", "slipway.yaml")
    .option("--poll-interval <seconds>", "seconds before the first status poll; polls back off to 3× this (default: 5)")
    .action(lazily(() => import("./resume.js"), (m) => m.resumeAction(io)));
}
