import type { RecordedStatus } from "../../engine/deployment-records.js";
import type { Store } from "../../engine/store.js";
import type { DeploymentRun, DeploymentRunStatus, RevisionRelease } from "../../releases/deployment-run.js";
import type { Target } from "../../../targets/target.js";
import { recordsByRun, servicesOf } from "./deployment.js";

/** What one service went from and to in a deployment. */
export interface ServiceChange {
  service: string;
  /** "shop-web:1"; absent when the deployment created the service. */
  from?: string;
  to: string;
  status: RecordedStatus;
  sourceTaskDefinition?: string;
  targetTaskDefinition: string;
}

/** A revision a rollback went from or to, with the release that made it when one is known. */
export interface RevisionShown {
  /** "shop-web:1". */
  revision: string;
  taskDefinition: string;
  release?: string;
}

/** What a rollback did: which service, from what it ran to the previous successful revision, through which ECS deployment. */
export interface RollbackShown {
  service: string;
  ecsDeploymentId: string;
  from: RevisionShown;
  to: RevisionShown;
}

/** One deployment in an environment's history — of a release, or a rollback: what, who, when, and how it ended. */
export interface HistoryEntry {
  deployment: string;
  kind: DeploymentRun["kind"];
  /** The release deployed; for a rollback, the release it returned to — absent when none is known. */
  release?: string;
  status: DeploymentRunStatus;
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  error?: { message: string; hint?: string };
  rollback?: RollbackShown;
  services: ServiceChange[];
}

export interface EnvironmentHistory {
  environment: string;
  deployments: HistoryEntry[];
}

const revision = (arn: string) => arn.split("/").at(-1) ?? arn;

const shown = (r: RevisionRelease): RevisionShown => ({ revision: revision(r.taskDefinition), taskDefinition: r.taskDefinition, ...(r.release !== undefined && { release: r.release }) });

function rollbackOf(run: DeploymentRun): RollbackShown | undefined {
  if (run.kind !== "rollback") return undefined;
  const { service, ecsDeploymentId, from, to } = run.rollback;
  return { service, ecsDeploymentId, from: shown(from), to: shown(to) };
}

/** The services the runs deployed: their releases' services there, and those rollbacks returned. */
async function servicesOfRuns(store: Store, runs: readonly DeploymentRun[], environment: string): Promise<string[]> {
  const versions = [...new Set(runs.flatMap((r) => (r.kind === "deploy" ? [r.release] : [])))];
  const releases = await Promise.all(versions.map((v) => store.releases.get(v)));
  const rolledBack = runs.flatMap((r) => (r.kind === "rollback" ? [r.rollback.service] : []));
  return [...new Set([...releases.flatMap((r) => (r ? servicesOf(r, environment) : [])), ...rolledBack])];
}

/**
 * The environment's deployments, newest first, each with the task definition revisions its services moved
 * between. A rollback is one of them: its entry says so (kind) and what it went from and to.
 */
export async function environmentHistory(store: Store, environment: string, target: Target | undefined, limit: number): Promise<EnvironmentHistory> {
  const runs = await store.runs.list({ environment, limit });
  const records = await recordsByRun(store, target, await servicesOfRuns(store, runs, environment));
  return {
    environment,
    deployments: runs.map((run) => {
      const rollback = rollbackOf(run);
      return {
        deployment: run.id,
        kind: run.kind,
        ...(run.release !== undefined && { release: run.release }),
        status: run.status,
        requestedBy: run.requestedBy,
        createdAt: run.createdAt,
        ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
        ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
        ...(run.error !== undefined && { error: run.error }),
        ...(rollback && { rollback }),
        services: (records.get(run.id) ?? [])
          // A deployment's own records only: a release's run records "deploy", a rollback "rollback" — and an aborted
          // run the rollback it made of a rolling service (a task-set one records its own ROLLBACK_SUCCESSFUL deploy).
          .filter((r) => r.kind === run.kind || (run.status === "rolled-back" && r.kind === "rollback"))
          .map((r) => ({
            service: r.service,
            ...(r.sourceTaskDefinition !== undefined && { from: revision(r.sourceTaskDefinition), sourceTaskDefinition: r.sourceTaskDefinition }),
            to: revision(r.targetTaskDefinition),
            status: r.status,
            targetTaskDefinition: r.targetTaskDefinition,
          })),
      };
    }),
  };
}
