import type { Command } from "commander";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

const collect = (value: string, list: string[]) => [...list, value];

export function registerInit(program: Command, io: Output): void {
  program
    .command("init")
    .description("write a project (slipway.yaml, targets.yaml, the task definition and service steps) that reproduces a running ECS service, and check a dry run of it changes nothing")
    .requiredOption("--service <name>", "the running ECS service to start from")
    .option("--cluster <name>", "the cluster it runs in, for every --env that names none")
    .option("--env <name[=cluster]>", "an environment, in promotion order, optionally with its own cluster; repeatable", collect, [])
    .option("--region <code>", "the AWS region", process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1")
    .option("--endpoint <url>", "an AWS-compatible endpoint, such as slipway's simulator (default: AWS)")
    .option("--profile <name>", "a named profile from ~/.aws/config (default: the standard credential chain)")
    .option("--role-arn <arn>", "an IAM role to assume for reading (default: none)")
    .option("--name <project>", "the project's name (default: the service's)")
    .option("--dir <folder>", "where to write the files", ".")
    .option("--force", "replace files that exist (default: refuse)")
    .action(lazily(() => import("./init.js"), (m) => m.initAction(io)));
}
