import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

const collect = (value: string, previous: string[]) => [...previous, value];

function common(command: Command): Command {
  return command
    .argument("<step-file>", "the task definition step file (YAML or JSON)")
    .requiredOption("--env <env>", "the environment to render for: its variables and its target's AWS account and region")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--image <choice>", "choose a container's image for this release: web=1.4.3 (a tag) or web@sha256:… (a digest); repeatable (default: the step's images: rules)", collect, [])
    .option("--release <version>", "the release version, recorded as the revision's slipway:release tag (default: none)");
}

/** `slipway taskdef render|diff|register`: the task definition step on its own. */
export function registerTaskdef(program: Command, io: Output): void {
  const taskdef = program.command("taskdef").description("render, diff and register ECS task definitions from a task definition step file");

  common(taskdef.command("render"))
    .description("print the RegisterTaskDefinition input for an environment (reads ECR in the target's account to pin each image to its digest)")
    .action(lazily(() => import("./taskdef.js"), (m) => m.renderAction(io)));

  common(taskdef.command("diff"))
    .description("show how the rendered definition differs from the environment's newest ACTIVE revision of the family (reads ECR and ECS; writes nothing)")
    .action(lazily(() => import("./taskdef.js"), (m) => m.diffAction(io)));

  common(taskdef.command("register"))
    .description("register a new revision unless the environment has one with the same content, then apply retention to the environment's revisions; prints the plan and the diff first")
    .option("--dry-run", "print the plan and the diff, and stop before any AWS write (default: apply the plan)")
    .option("--json", "print the plan and the step's output as JSON (default: text)")
    .option("--deployment <id>", "the deployment id whose journal to use; give an earlier run's id to resume it (default: a new id)")
    .action(lazily(() => import("./taskdef.js"), (m) => m.registerAction(io)));
}
