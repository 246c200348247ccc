import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DescribeTaskDefinitionCommand, type Service } from "@aws-sdk/client-ecs";
import { callAws } from "../../aws/call.js";
import { createAwsClients, type AwsClients } from "../../aws/clients.js";
import { EcsServices } from "../../aws/services.js";
import { dryRunJournal } from "../../engine/journal.js";
import { describePlan } from "../../engine/plan.js";
import { InputError, NotFoundError } from "../../errors.js";
import { mergeEnvironments, stepFromService } from "../../../steps/service/adopt.js";
import { deployService } from "../../../steps/service/deploy.js";
import { loadServiceStep } from "../../../steps/service/load.js";
import { strategyOf } from "../../../steps/service/rolling/plan.js";
import { taskDefinitionStepFrom } from "../../../steps/task-definition/adopt.js";
import { toAwsConnection } from "../../../targets/connection.js";
import type { Target } from "../../../targets/target.js";
import { projectFiles, writeFiles } from "./init-files.js";
import { nativeLoadBalancer, taskSetLoadBalancer } from "./init-load-balancer.js";
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
  const found = await new EcsServices(clients.ecs).describe(target.cluster, service);
  if (!found) throw new NotFoundError(`The ${target.environment} cluster "${target.cluster}" has no service "${service}" to start from.`, "Check --cluster, --service and --region (aws ecs list-services --cluster <cluster> lists them).");
  return found;
}

/** The revision a service runs: its own for a rolling service, its primary task set's for an EXTERNAL one. */
const runningRevision = (service: Service) => service.taskDefinition ?? service.taskSets?.find((t) => t.status === "PRIMARY")?.taskDefinition ?? "";

/** The proof: the step as written, against each environment and the revision it runs, plans no write. */
async function checkNoChange(stepFile: string, targets: Target[], running: { target: Target; taskDefinition: string }[], io: Output): Promise<void> {
  for (const { target, taskDefinition } of running) {
    const clients = createAwsClients(toAwsConnection(target));
    try {
      const loaded = loadServiceStep(stepFile, { environments: targets.map((t) => t.environment) });
      const { plan } = await deployService(loaded, { target, deploymentId: "init-check", journal: dryRunJournal, clients, dryRun: true }, { override: taskDefinition });
      const revision = taskDefinition.split("/").at(-1) ?? taskDefinition;
      if (plan.actions.length === 0) io.out(`checked: a dry run of the service step against ${target.environment} with ${revision} changes nothing`);
      else {
        io.err(`warning: a dry run against ${target.environment} would still change the service; tell the slipway team (this is a bug in init):`);
        for (const line of describePlan(plan)) io.err(`  ${line}`);
      }
    } finally {
      clients.destroy();
    }
  }
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
      else if (strategyOf(service.deploymentConfiguration) !== "ROLLING") target.loadBalancer = await nativeLoadBalancer(clients, service);
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
  // Checked where nothing of the user's is: a project that fails its own check is never left half-written.
  const draft = mkdtempSync(join(tmpdir(), "slipway-init-"));
  try {
    writeFiles(draft, files);
    await checkNoChange(join(draft, `steps/${opts.service}.service.yaml`), targets, running, io);
  } finally {
    rmSync(draft, { recursive: true, force: true });
  }
  for (const path of writeFiles(opts.dir, files)) io.out(`wrote ${relative(".", path) || path}`);
  const first = targets[0]?.environment ?? "dev";
  io.out(`next: slipway validate ${relative(".", join(opts.dir, "slipway.yaml")) || "slipway.yaml"}, then slipway release create <version> and slipway deploy <version> --to ${first} --dry-run:`);
  if (taskdef) io.out(`  a release's first deployment registers ${taskdef.family} for ${first} with each image pinned by its digest (the image it runs now) — the one change its dry run shows`);
}

/** The action of `init` (its definition, loaded at start, is in init-command.ts). */
export const initAction = (io: Output) =>
  (opts: InitOptions) => init(opts, io);
