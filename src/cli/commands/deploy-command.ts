import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import { throughServerOr, withServer } from "../remote/server-option.js";
import type { Output } from "../output.js";

const common = (c: Command) =>
  withServer(c)
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--dry-run", "print every step's plan for that environment — the task definition it would register or reuse and its diff, each stage's writes, waits and traffic, what a failure would do — and change nothing (default: deploy)")
    .option("--json", "print the finished deployment as JSON; progress goes to stderr (default: text)")
    .option("--poll-interval <seconds>", "seconds before the first status poll; polls back off to 3× this (default: 5)");

export function registerDeploy(program: Command, io: Output): void {
  common(program.command("deploy"))
    .description("deploy a release to an environment the lifecycle allows: every step of its process, with the images it pinned (exit 3 when it fails)")
    .argument("<release>", "the release version")
    .requiredOption("--to <env>", "the environment to deploy to")
    .action(throughServerOr(lazily(() => import("./deploy.js"), (m) => m.deployAction(io)), lazily(() => import("../remote/remote-deploy.js"), (m) => m.deployAction(io))));

  common(program.command("promote"))
    .description("promote a release to the next environment of the lifecycle (or --to one the lifecycle allows): refused until it succeeded in every earlier environment that is not optional")
    .argument("<release>", "the release version")
    .option("--to <env>", "the environment to promote to (default: the next one after where it last succeeded)")
    .action(throughServerOr(lazily(() => import("./deploy.js"), (m) => m.promoteAction(io)), lazily(() => import("../remote/remote-deploy.js"), (m) => m.promoteAction(io))));
}
