import type { AwsClients } from "../../aws/clients.js";
import { loadEnvironmentTarget } from "../../config/load.js";
import type { Approvals } from "../../engine/approvals.js";
import { describeHolder, type DeploymentLocks, type LockKey } from "../../engine/deployment-lock.js";
import type { DeploymentRecords } from "../../engine/deployment-records.js";
import type { Journal } from "../../engine/journal.js";
import type { Store } from "../../engine/store.js";
import { InputError } from "../../errors.js";
import { openProjectStore } from "./project-store.js";
import type { Output } from "../output.js";
import { toAwsConnection } from "../../../targets/connection.js";
import type { Target } from "../../../targets/target.js";
import { loadServiceStep, type LoadedServiceStep } from "../../../steps/service/load.js";
import type { ServiceRunOptions } from "../../../steps/service/deploy.js";

/** The options every command about a service step shares: which environment, which project, how often to look. */
export interface ServiceCommandOptions {
  env: string;
  project: string;
  pollInterval?: string;
}

export interface PreparedService {
  loaded: LoadedServiceStep;
  target: Target;
  clients: AwsClients;
  journal: Journal;
  records: DeploymentRecords;
  approvals: Approvals;
  /** One deployment of a service at a time, across processes and machines sharing the store. */
  locks: DeploymentLocks;
  store: Store;
}

/** An environment of the project: its target, the project's store and the target's clients. */
export interface PreparedEnvironment {
  target: Target;
  clients: AwsClients;
  store: Store;
}

/** Reads the project, finds the environment's target, opens the project's store and builds the target's clients for the duration of `use`. */
export async function withEnvironment<T>(projectFile: string, environment: string, use: (e: PreparedEnvironment, project: ReturnType<typeof loadEnvironmentTarget>["project"]) => Promise<T>): Promise<T> {
  const { project, target } = loadEnvironmentTarget(projectFile, environment);
  // Imported here: the AWS SDK costs ~0.35 s to load, and withEnvironmentStore's commands make no AWS call.
  const { createAwsClients } = await import("../../aws/clients.js");
  const store = await openProjectStore(projectFile, project.name);
  const clients = createAwsClients(toAwsConnection(target));
  try {
    return await use({ target, clients, store }, project);
  } finally {
    clients.destroy();
    await store.close();
  }
}

/** The environment's target and the project's store, for a command that reads the store only (no AWS call). */
export async function withEnvironmentStore<T>(projectFile: string, environment: string, use: (e: Omit<PreparedEnvironment, "clients">) => Promise<T>): Promise<T> {
  const { project, target } = loadEnvironmentTarget(projectFile, environment);
  const store = await openProjectStore(projectFile, project.name);
  try {
    return await use({ target, store });
  } finally {
    await store.close();
  }
}

/**
 * Reads the project and the step, finds the environment's target, opens the project's store and builds the
 * target's clients for the duration of `use`.
 */
export function withService<T>(stepFile: string, opts: ServiceCommandOptions, use: (p: PreparedService) => Promise<T>): Promise<T> {
  return withEnvironment(opts.project, opts.env, ({ target, clients, store }, project) => {
    const loaded = loadServiceStep(stepFile, { environments: project.lifecycle.names });
    return use({ loaded, target, clients, journal: store.journal, records: store.records, approvals: store.approvals, locks: store.locks, store });
  });
}

/**
 * Runs `work` holding the service's deployment lock, released however it ends (a ConflictError when another
 * deployment holds it). A lock taken over from a dead process is said on `say` (stdout, unless it must stay JSON).
 */
export async function holdingServiceLock<T>(locks: DeploymentLocks, key: LockKey, deploymentId: string, say: Output["out"], work: () => Promise<T>): Promise<T> {
  const lock = await locks.acquire(key, deploymentId);
  if (lock.takenOverFrom) say(`took over the deployment lock from ${describeHolder(lock.takenOverFrom)}: that process is no longer running`);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

/** holdingServiceLock for the step's service in its environment. */
export function holdingLock<T>(p: PreparedService, deploymentId: string, say: Output["out"], work: () => Promise<T>): Promise<T> {
  return holdingServiceLock(p.locks, { environment: p.target.environment, service: p.loaded.raw.service }, deploymentId, say, work);
}

/** A fresh id per run unless one is given: a run resumes only when asked to, with the id it printed. */
/** --poll-interval N: first poll after N seconds, backing off to 3×N (default 5 → 15). */
export function pacingFrom(opts: Pick<ServiceCommandOptions, "pollInterval">): ServiceRunOptions["pacing"] {
  if (opts.pollInterval === undefined) return undefined;
  const seconds = Number(opts.pollInterval);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InputError(`--poll-interval ${opts.pollInterval} is not a number of seconds.`, "Give a positive number, e.g. --poll-interval 5.");
  return { minDelaySeconds: seconds, maxDelaySeconds: seconds * 3 };
}


