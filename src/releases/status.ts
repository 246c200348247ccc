import type { Store } from "../engine/store.js";
import type { Lifecycle } from "../../targets/lifecycle.js";
import type { DeploymentRun, DeploymentRunStatus } from "./deployment-run.js";

export interface RunSummary {
  id: string;
  release: string;
  status: DeploymentRunStatus;
  requestedBy: string;
  at: string;
}

export interface EnvironmentStatus {
  name: string;
  optional: boolean;
  /** The release last deployed successfully: what runs there. */
  current?: RunSummary;
  /** Runs queued or running now (or interrupted, waiting to be resumed). */
  inProgress: RunSummary[];
}

export interface ReleaseStatus {
  version: string;
  channel: string;
  createdAt: string;
  /** The latest run of this release in each environment it went to. */
  environments: Record<string, RunSummary>;
}

export interface ProjectStatus {
  project: string;
  environments: EnvironmentStatus[];
  releases: ReleaseStatus[];
}

const summary = (r: DeploymentRun): RunSummary => ({ id: r.id, release: r.release, status: r.status, requestedBy: r.requestedBy, at: r.endedAt ?? r.startedAt ?? r.createdAt });

/** Environments × releases: what runs where and what is in progress. Runs are read newest first. */
export async function projectStatus(store: Store, lifecycle: Lifecycle, options: { releases?: number } = {}): Promise<ProjectStatus> {
  const [releases, runs] = await Promise.all([store.releases.list(), store.runs.list({ limit: 1000 })]);
  const environments = lifecycle.environments.map((e) => {
    const here = runs.filter((r) => r.environment === e.name);
    const current = here.find((r) => r.status === "succeeded");
    return { name: e.name, optional: e.optional, ...(current && { current: summary(current) }), inProgress: here.filter((r) => r.status === "queued" || r.status === "running" || r.status === "interrupted").map(summary) };
  });
  const shown = releases.slice(0, options.releases ?? 20).map((release) => {
    const latest: Record<string, RunSummary> = {};
    for (const run of runs) if (run.release === release.version && !(run.environment in latest)) latest[run.environment] = summary(run);
    return { version: release.version, channel: release.channel, createdAt: release.createdAt, environments: latest };
  });
  return { project: store.project, environments, releases: shown };
}
