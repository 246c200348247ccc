import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Command } from "commander";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type Service } from "@aws-sdk/client-ecs";
import { stringify } from "yaml";
import { callAws } from "../../aws/call.js";
import { createAwsClients, type AwsClients } from "../../aws/clients.js";
import { dryRunJournal } from "../../engine/journal.js";
import { describePlan } from "../../engine/plan.js";
import { ConflictError, InputError, NotFoundError } from "../../errors.js";
import { ElbListenerWeights, forwardedGroups } from "../../aws/listener-weights.js";
import { ownerValue, tagKeys } from "../../../steps/verification/identity.js";
import { mergeEnvironments, stepFromService } from "../../../steps/service/adopt.js";
import { deployService } from "../../../steps/service/deploy.js";
import { loadServiceStep } from "../../../steps/service/load.js";
import { taskDefinitionStepFrom } from "../../../steps/task-definition/adopt.js";
import { toAwsConnection } from "../../../targets/connection.js";
import type { LoadBalancerRef, Target } from "../../../targets/target.js";
import type { Output } from "../output.js";

interface InitOptions {
  cluster?: string;
  service: string;
  env: string[];
  region: string;
  endpoint?: string;
  profile?: string;
  roleArn?: string;
  name?: string;
  dir: string;
  force?: boolean;
}

const collect = (value: string, list: string[]) => [...list, value];
const environmentName = /^[a-z][a-z0-9-]{0,31}$/;

/** --env dev or --env dev=shop-dev: each environment and the cluster its service runs in. */
function targetsOf(opts: InitOptions): Target[] {
  if (opts.env.length === 0) throw new InputError("slipway init needs the environments: --env dev (repeat it for each, in promotion order).", "Add --env dev --env prod, or --env dev=shop-dev --env prod=shop-prod when each has its own cluster.");
  return opts.env.map((given) => {
    const [environment = "", cluster = opts.cluster] = given.split("=", 2);
    if (!environmentName.test(environment)) throw new InputError(`--env ${given}: "${environment}" is not an environment name.`, "Use lowercase letters, digits and hyphens, starting with a letter (dev, test, prod).");
    if (!cluster) throw new InputError(`--env ${given} names no cluster, and there is no --cluster.`, `Give --cluster <name> for every environment, or --env ${environment}=<cluster>.`);
    return { environment, region: opts.region, cluster, ...(opts.endpoint && { endpoint: opts.endpoint }), ...(opts.profile && { profile: opts.profile }), ...(opts.roleArn && { roleArn: opts.roleArn }) };
  });
}

async function describe(clients: AwsClients, target: Target, service: string): Promise<Service> {
  const out = await callAws("DescribeServices", `${target.cluster}/${service}`, () => clients.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [service], include: ["TAGS"] })));
  const found = out.services?.find((s) => s.status !== "INACTIVE");
  if (!found) throw new NotFoundError(`The ${target.environment} cluster "${target.cluster}" has no service "${service}" to start from.`, "Check --cluster, --service and --region (aws ecs list-services --cluster <cluster> lists them).");
  return found;
}

/** The revision a service runs: its own for a rolling service, its primary task set's for an EXTERNAL one. */
const runningRevision = (service: Service) => service.taskDefinition ?? service.taskSets?.find((t) => t.status === "PRIMARY")?.taskDefinition ?? "";

/**
 * An EXTERNAL service's target load balancer: the listener rule (or default action) forwarding to its primary
 * task set's target group with a second group beside it — the pair a canary moves traffic between.
 */
async function taskSetLoadBalancer(clients: AwsClients, service: Service): Promise<LoadBalancerRef> {
  const live = service.taskSets?.find((t) => t.status === "PRIMARY")?.loadBalancers?.[0]?.targetGroupArn ?? "";
  const rules = (await new ElbListenerWeights(clients.elbv2).forwardingTo([live])).filter((r) => r.tags[tagKeys.owner] !== ownerValue);
  const paired = rules.sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).find((r) => forwardedGroups(r.actions).length === 2);
  const other = paired && forwardedGroups(paired.actions).find((g) => g !== live);
  if (!paired || !other) {
    throw new ConflictError(
      `No listener rule forwards to ${service.serviceName ?? ""}'s target group ${live} together with a second target group, so slipway cannot tell which two groups its canary moves traffic between.`,
      "Give the rule (or default action) that routes to the service a weighted forward to both groups (the second at weight 0), then run slipway init again.",
    );
  }
  return { listener: { arn: paired.listenerArn }, targetGroups: { primary: live, canary: other } };
}

/** A project name from a service name: lowercase letters, digits and hyphens, starting with a letter. */
function projectName(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^[^a-z]+/, "").slice(0, 63) || "project";
}

/** The files init writes, relative to the project folder, with their YAML. */
function projectFiles(opts: InitOptions, targets: Target[], serviceStep: object, taskdef: { family: string; step: object } | undefined): Map<string, string> {
  const service = opts.service;
  const files = new Map<string, string>();
  const serviceFile = `steps/${service}.service.yaml`;
  const taskdefFile = `steps/${service}.taskdef.yaml`;
  const process = [
    ...(taskdef ? [{ name: `${taskdef.family} task definition`, uses: "task-definition", file: taskdefFile }] : []),
    { name: `${service} service`, uses: "service", file: serviceFile, ...(taskdef && { taskDefinitionFrom: `${taskdef.family} task definition` }) },
  ];
  const project = { apiVersion: "slipway/v1", kind: "Project", name: opts.name ?? projectName(service), environments: targets.map((t) => ({ name: t.environment })), targets: "targets.yaml", process };
  // In targets.yaml a listener given by ARN is the ARN itself.
  const targetMap = Object.fromEntries(
    targets.map(({ environment, loadBalancer, ...t }) => [environment, { ...t, ...(loadBalancer && { loadBalancer: { ...loadBalancer, listener: "arn" in loadBalancer.listener ? loadBalancer.listener.arn : loadBalancer.listener } }) }]),
  );
  files.set("slipway.yaml", `# Written by slipway init from the running service ${service}.\n${stringify(project)}`);
  files.set("targets.yaml", stringify({ apiVersion: "slipway/v1", kind: "Targets", targets: targetMap }));
  if (taskdef) files.set(taskdefFile, `# The task definition ${taskdef.family} as it runs in ${targets[0]?.environment ?? ""}: each image's running tag or digest is its rule.\n${stringify(taskdef.step)}`);
  files.set(serviceFile, `# The service ${service} as it runs${targets.length > 1 ? `; environments: holds what differs from ${targets[0]?.environment ?? ""}` : ""}.\n${stringify(serviceStep)}`);
  return files;
}

/**
 * `slipway init`: a project reproducing a running service — slipway.yaml, targets.yaml, the task definition step
 * and the service step — then a dry run of the service step against each environment, which must change nothing.
 * Reads AWS only; writes files only where none exist (or with --force).
 */
async function init(opts: InitOptions, io: Output): Promise<void> {
  const targets = targetsOf(opts);
  const steps: [string, ReturnType<typeof stepFromService>][] = [];
  const running: { target: Target; taskDefinition: string }[] = [];
  let taskdef: { family: string; step: object } | undefined;
  for (const target of targets) {
    const clients = createAwsClients(toAwsConnection(target));
    try {
      const service = await describe(clients, target, opts.service);
      steps.push([target.environment, stepFromService(service)]);
      if (service.deploymentController?.type === "EXTERNAL") target.loadBalancer = await taskSetLoadBalancer(clients, service);
      const revision = runningRevision(service);
      running.push({ target, taskDefinition: revision });
      if (taskdef || !revision) continue;
      const described = await callAws("DescribeTaskDefinition", revision, () => clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: revision })));
      const definition = described.taskDefinition;
      const [, , , region = "", account = ""] = (definition?.taskDefinitionArn ?? "").split(":");
      const adopted = definition ? taskDefinitionStepFrom(definition, { account, region }) : { refused: "ECS did not describe it" };
      if ("refused" in adopted) io.err(`note: no task definition step: ${adopted.refused}. The service step deploys ${revision} instead.`);
      else taskdef = { family: adopted.step.family, step: adopted.step };
    } finally {
      clients.destroy();
    }
  }
  const merged = mergeEnvironments(steps);
  const serviceStep = taskdef ? merged : { ...merged, taskDefinition: running[0]?.taskDefinition ?? "" };
  const files = projectFiles(opts, targets, serviceStep, taskdef);
  const taken = [...files.keys()].map((f) => join(opts.dir, f)).filter((f) => existsSync(f));
  if (taken.length > 0 && !opts.force) throw new InputError(`slipway init would overwrite ${taken.map((f) => relative(".", f) || f).join(", ")}.`, "Run it in an empty folder (--dir new-project), or add --force to replace them.");
  for (const [file, text] of files) {
    const path = join(opts.dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    io.out(`wrote ${relative(".", path) || path}`);
  }
  // The proof: the step as written, against each environment and the revision it runs, plans no write.
  const stepFile = join(opts.dir, `steps/${opts.service}.service.yaml`);
  for (const { target, taskDefinition } of running) {
    const clients = createAwsClients(toAwsConnection(target));
    try {
      const loaded = loadServiceStep(stepFile, { environments: targets.map((t) => t.environment) });
      const { plan } = await deployService(loaded, { target, deploymentId: "init-check", journal: dryRunJournal, clients, dryRun: true }, { override: taskDefinition });
      if (plan.actions.length === 0) io.out(`checked: a dry run of ${relative(".", stepFile)} against ${target.environment} with ${taskDefinition.split("/").at(-1) ?? taskDefinition} changes nothing`);
      else {
        io.err(`warning: a dry run against ${target.environment} would still change the service; tell the slipway team (this is a bug in init):`);
        for (const line of describePlan(plan)) io.err(`  ${line}`);
      }
    } finally {
      clients.destroy();
    }
  }
  const first = targets[0]?.environment ?? "dev";
  io.out(`next: slipway validate ${relative(".", join(opts.dir, "slipway.yaml")) || "slipway.yaml"}, then slipway release create <version> and slipway deploy <version> --to ${first} --dry-run:`);
  if (taskdef) io.out(`  a release's first deployment registers ${taskdef.family} for ${first} with each image pinned by its digest (the image it runs now) — the one change its dry run shows`);
}

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
    .action((opts: InitOptions) => init(opts, io));
}
