import type { Gate } from "../engine/approvals.js";
import type { Store } from "../engine/store.js";
import type { Lifecycle } from "../../targets/lifecycle.js";
import type { DeploymentRun, DeploymentRunKind, DeploymentRunStatus, RevisionRelease } from "./deployment-run.js";

export interface RunSummary {
  id: string;
  kind: DeploymentRunKind;
  /** The release deployed; for a rollback, the release the service returned to — absent when none is known. */
  release?: string;
  status: DeploymentRunStatus;
  requestedBy: string;
  at: string;
  /** A rollback's service, the revision it replaced (with its release, when known) and the one it returned to. */
  rollback?: { service: string; from: RevisionRelease; to: RevisionRelease };
  /** A run in progress that waits for a person: its open gate, since when, who may decide, until when. */
  waiting?: WaitingAt;
}

export interface WaitingAt {
  stage: string;
  since: string;
  /** Empty: anyone may decide. */
  approvers: string[];
  expiresAt?: string;
}

export interface EnvironmentStatus {
  name: string;
  optional: boolean;
  /**
   * The last run that succeeded there — a deployment of a release, or a rollback: what runs there now. After a
   * rollback it is the rollback, naming the release returned to and the one it replaced.
   */
  current?: RunSummary;
  /** Runs queued or running now (or interrupted, waiting to be resumed), rollbacks too. */
  inProgress: RunSummary[];
}

export interface ReleaseStatus {
  version: string;
  channel: string;
  createdAt: string;
  /** The latest deployment of this release in each environment it went to (rollbacks to it are not deployments of it). */
  environments: Record<string, RunSummary>;
}

export interface ProjectStatus {
  project: string;
  environments: EnvironmentStatus[];
  releases: ReleaseStatus[];
}

function summary(r: DeploymentRun, gate?: Gate): RunSummary {
  const at = r.endedAt ?? r.startedAt ?? r.createdAt;
  const waiting: WaitingAt | undefined = gate && { stage: gate.stage, since: gate.openedAt, approvers: gate.approvers ?? [], ...(gate.expiresAt !== undefined && { expiresAt: gate.expiresAt }) };
  const base = { id: r.id, kind: r.kind, ...(r.release !== undefined && { release: r.release }), status: r.status, requestedBy: r.requestedBy, at, ...(waiting && { waiting }) };
  if (r.kind === "deploy") return base;
  const { service, from, to } = r.rollback;
  return { ...base, rollback: { service, from, to } };
}

/** Environments × releases: what runs where and what is in progress. Runs are read newest first. */
export async function projectStatus(store: Store, lifecycle: Lifecycle, options: { releases?: number } = {}): Promise<ProjectStatus> {
  const [releases, runs, open] = await Promise.all([store.releases.list(), store.runs.list({ limit: 1000 }), store.approvals.list({ open: true })]);
  // The oldest open gate of a run is the one it waits at (a run opens one at a time).
  const gateOf = (id: string) => open.filter((g) => g.deploymentId === id).sort((a, b) => a.openedAt.localeCompare(b.openedAt))[0];
  const environments = lifecycle.environments.map((e) => {
    const here = runs.filter((r) => r.environment === e.name);
    const current = here.find((r) => r.status === "succeeded");
    const inProgress = here.filter((r) => r.status === "queued" || r.status === "running" || r.status === "interrupted").map((r) => summary(r, gateOf(r.id)));
    return { name: e.name, optional: e.optional, ...(current && { current: summary(current) }), inProgress };
  });
  const shown = releases.slice(0, options.releases ?? 20).map((release) => {
    const latest: Record<string, RunSummary> = {};
    for (const run of runs) if (run.kind === "deploy" && run.release === release.version && !(run.environment in latest)) latest[run.environment] = summary(run, gateOf(run.id));
    return { version: release.version, channel: release.channel, createdAt: release.createdAt, environments: latest };
  });
  return { project: store.project, environments, releases: shown };
}
