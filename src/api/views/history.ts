import type { RecordedStatus } from "../../engine/deployment-records.js";
import type { Store } from "../../engine/store.js";
import type { DeploymentRunStatus } from "../../releases/deployment-run.js";
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

/** One deployment in an environment's history: what, who, when, and how it ended. */
export interface HistoryEntry {
  deployment: string;
  release: string;
  status: DeploymentRunStatus;
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  error?: { message: string; hint?: string };
  services: ServiceChange[];
}

export interface EnvironmentHistory {
  environment: string;
  deployments: HistoryEntry[];
}

const revision = (arn: string) => arn.split("/").at(-1) ?? arn;

/** The environment's deployments, newest first, each with the task definition revisions its services moved between. */
export async function environmentHistory(store: Store, environment: string, target: Target | undefined, limit: number): Promise<EnvironmentHistory> {
  const runs = await store.runs.list({ environment, limit });
  const versions = [...new Set(runs.map((r) => r.release))];
  const releases = await Promise.all(versions.map((v) => store.releases.get(v)));
  const services = [...new Set(releases.flatMap((r) => (r ? servicesOf(r, environment) : [])))];
  const records = await recordsByRun(store, target, services);
  return {
    environment,
    deployments: runs.map((run) => ({
      deployment: run.id,
      release: run.release,
      status: run.status,
      requestedBy: run.requestedBy,
      createdAt: run.createdAt,
      ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
      ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
      ...(run.error !== undefined && { error: run.error }),
      services: (records.get(run.id) ?? [])
        .filter((r) => r.kind === "deploy")
        .map((r) => ({
          service: r.service,
          ...(r.sourceTaskDefinition !== undefined && { from: revision(r.sourceTaskDefinition), sourceTaskDefinition: r.sourceTaskDefinition }),
          to: revision(r.targetTaskDefinition),
          status: r.status,
          targetTaskDefinition: r.targetTaskDefinition,
        })),
    })),
  };
}
