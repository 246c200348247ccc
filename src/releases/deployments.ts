import type { AwsClients } from "../aws/clients.js";
import { newDeploymentId } from "../engine/deployment-id.js";
import type { Store } from "../engine/store.js";
import { ConflictError, InputError, NotFoundError } from "../errors.js";
import type { Lifecycle } from "../../targets/lifecycle.js";
import type { Target } from "../../targets/target.js";
import { finalStatuses, type DeploymentRun } from "./deployment-run.js";
import { nextEnvironment, promotionRefusal } from "./promotion.js";
import type { Release } from "./release.js";
import { Redactor } from "./redactor.js";
import { lockAll, lockKeysOf, runDeployment, type RunDeploymentOptions } from "./run-deployment.js";
import { resolveVariables } from "./secrets.js";
import { refuseUnfinished } from "./unfinished.js";

/** What deploying needs of a project: its lifecycle, its targets, its store and clients per target. */
export interface DeployingProject {
  name: string;
  lifecycle: Lifecycle;
  targets: ReadonlyMap<string, Target>;
  store: Store;
  clientsFor(target: Target): AwsClients;
}

export async function releaseNamed(store: Store, version: string): Promise<Release> {
  const release = await store.releases.get(version);
  if (release) return release;
  const known = (await store.releases.list()).slice(0, 5).map((r) => r.version);
  throw new NotFoundError(`There is no release ${version}.`, known.length > 0 ? `The newest releases are: ${known.join(", ")}. \`slipway release list\` shows them all.` : "Create one with `slipway release create <version>`.");
}

export interface DeployRequest {
  release: string;
  /** Absent: the next environment of the lifecycle for this release (promote). */
  environment?: string;
  actor: string;
  /** Where the release's secret variables are read from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** A rollback to this (earlier) release: the release it replaces (see ReleaseRun.replaces). */
  replaces?: string;
}

export interface StartedDeployment {
  release: Release;
  run: DeploymentRun;
  target: Target;
  /** Runs it to the end; resolves with the final run or throws what stopped it. */
  execute(options?: Omit<RunDeploymentOptions, "store" | "release" | "run" | "target" | "clients" | "locks">): Promise<DeploymentRun>;
}

/**
 * `deploy` and `promote`: checks the lifecycle, takes the locks of what the release changes there (a ConflictError
 * when another deployment holds one — nothing is created then), records the run and the write in the audit log.
 * The caller runs it: the CLI waits for it, the server runs it in the background.
 */
export async function startDeployment(project: DeployingProject, request: DeployRequest): Promise<StartedDeployment> {
  const { store } = project;
  const { release, environment, target } = await destinationOf(project, request);
  await refuseUnfinished(store, environment);
  // A secret this process cannot read fails here, before anything is recorded.
  resolveVariables(release.snapshot.variables, { project: release.project, environment }, request.env ?? process.env, new Redactor());
  const id = newDeploymentId(request.replaces === undefined ? "release" : "rollback", environment, release.version.replace(/[^A-Za-z0-9._-]/g, "_"));
  const locks = await lockAll(store, lockKeysOf(release, environment), id, () => undefined);
  let run: DeploymentRun;
  try {
    run = await store.runs.create({ id, release: release.version, environment, requestedBy: request.actor, ...(request.replaces !== undefined && { replaces: request.replaces }) });
    await store.audit.record({ actor: request.actor, action: request.replaces === undefined ? "deployment.create" : "deployment.rollback", environment, subject: id, detail: { release: release.version, ...(request.replaces !== undefined && { replaces: request.replaces }) } });
  } catch (error) {
    await Promise.all(locks.map((l) => l.release()));
    throw error;
  }
  return {
    release,
    run,
    target,
    execute: (options = {}) => {
      const clients = project.clientsFor(target);
      return runDeployment({ ...options, store, release, run, target, clients, locks }).finally(() => clients.destroy());
    },
  };
}

/**
 * Where a deployment of the release would go — the environment asked for, or the lifecycle's next one — once
 * the lifecycle allows it there and the environment has a target. Reads the store; writes nothing.
 */
export async function destinationOf(project: DeployingProject, request: Pick<DeployRequest, "release" | "environment">): Promise<{ release: Release; environment: string; target: Target }> {
  const release = await releaseNamed(project.store, request.release);
  const history = await project.store.runs.list({ release: release.version });
  const environment = request.environment ?? nextEnvironment(project.lifecycle, release.version, history);
  if (environment === undefined) throw new ConflictError(`Release ${release.version} has already reached ${project.lifecycle.names.at(-1) ?? "the last environment"}, the end of the lifecycle.`, "Name an environment to deploy it to again with --to.");
  project.lifecycle.get(environment);
  const refusal = promotionRefusal(project.lifecycle, release.version, environment, history);
  if (refusal) throw refusal;
  const target = project.targets.get(environment);
  if (!target) throw new InputError(`The environment ${environment} has no target.`, "Add it to the targets file.");
  return { release, environment, target };
}

/** Continues a deployment that stopped (interrupted, or its process died): same id, same journal. */
export async function resumeDeployment(project: DeployingProject, id: string, options: Omit<RunDeploymentOptions, "store" | "release" | "run" | "target" | "clients" | "locks"> = {}): Promise<DeploymentRun> {
  const run = await project.store.runs.get(id);
  if (!run) throw new NotFoundError(`There is no deployment ${id}.`, "`slipway status` lists the deployments in progress.");
  if (finalStatuses.includes(run.status)) throw new ConflictError(`Deployment ${id} already ended: ${run.status}.`, "Start a new one with `slipway deploy <release> --to <environment>`.");
  // A rollback is no release's process: `slipway resume` watches it again instead (src/cli/commands/rollback-resume.ts).
  if (run.kind === "rollback") throw new ConflictError(`Deployment ${id} is a rollback, not a deployment of a release.`, `\`slipway resume ${id}\` watches it to its end.`);
  const release = await releaseNamed(project.store, run.release);
  const target = project.targets.get(run.environment);
  if (!target) throw new InputError(`The environment ${run.environment} has no target any more.`, "Add it back to the targets file to resume this deployment.");
  const clients = project.clientsFor(target);
  try {
    return await runDeployment({ ...options, store: project.store, release, run, target, clients });
  } finally {
    clients.destroy();
  }
}
