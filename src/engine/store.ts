import type { Approvals } from "./approvals.js";
import type { DeploymentLocks } from "./deployment-lock.js";
import type { DeploymentRecords } from "./deployment-records.js";
import type { Journal } from "./journal.js";
import type { Release, NewRelease } from "../releases/release.js";
import type { DeploymentRun, DeploymentRunStatus, NewDeploymentRun } from "../releases/deployment-run.js";

/**
 * Everything slipway keeps about one project: releases, deployments to environments (of releases, and rollbacks),
 * their journals, approval gates, service deployment records, progress events, the one-deployment-per-service
 * leases, API keys and the audit trail of writes. One port, two implementations over the same SQL and migrations:
 * PGlite in the project's .slipway/db by default, PostgreSQL when DATABASE_URL is set (src/storage/sql/).
 */
export interface Store {
  /** The project every row read or written belongs to (one PostgreSQL may hold several projects). */
  readonly project: string;
  /** For people: "embedded PGlite at .slipway/db" or "PostgreSQL at host:port/db" (never the password). */
  readonly location: string;
  readonly releases: Releases;
  readonly runs: DeploymentRuns;
  readonly journal: Journal;
  readonly approvals: Approvals;
  readonly records: DeploymentRecords;
  /** Leases with an expiry, renewed while held: a holder that dies lets go when its lease runs out. */
  readonly locks: DeploymentLocks;
  readonly events: EventLog;
  readonly keys: ApiKeys;
  readonly audit: AuditLog;
  close(): Promise<void>;
}

export interface Releases {
  /** ConflictError when the version exists: a release never changes once created. */
  create(release: NewRelease): Promise<Release>;
  get(version: string): Promise<Release | undefined>;
  /** Newest first (by creation). */
  list(): Promise<Release[]>;
}

export interface DeploymentRuns {
  /**
   * Created queued. A deployment of a release (kind "deploy", the default) names a release the store has (else a
   * NotFoundError); a rollback (kind "rollback") carries its service and revisions, and names a release only when
   * one is known to have made the revision it returns to.
   */
  create(run: NewDeploymentRun): Promise<DeploymentRun>;
  get(id: string): Promise<DeploymentRun | undefined>;
  /** Newest first; filters combine. */
  list(filter?: { environment?: string; release?: string; status?: DeploymentRunStatus[]; limit?: number }): Promise<DeploymentRun[]>;
  /** Sets status (and endedAt when it is final), the error and the step outputs given. */
  update(id: string, change: { status: DeploymentRunStatus; error?: { message: string; hint?: string }; outputs?: Record<string, unknown>; startedAt?: string; endedAt?: string; runner?: RunnerIdentity }): Promise<DeploymentRun>;
  /**
   * Asks a deployment to stop at its next safe point and roll back what it changed; its runner (or the process
   * that resumes it) sees it with abortRequested(). The first request stands.
   */
  requestAbort(id: string, request: AbortRequest): Promise<void>;
  abortRequested(id: string): Promise<(AbortRequest & { at: string }) | undefined>;
}

/** The process that runs a deployment: a restarted server resumes runs whose runner is gone. */
export interface RunnerIdentity {
  pid: number;
  host: string;
}

/** Who asked for a deployment to be aborted, and why. */
export interface AbortRequest {
  by: string;
  reason?: string;
}

export interface DeploymentEvent {
  /** Increasing across the whole store: an SSE client resumes after the last id it saw. */
  id: number;
  deploymentId: string;
  at: string;
  /** note | status | service-event | step | gate | done: what the dashboard draws it as. */
  type: string;
  message: string;
  data?: unknown;
}

export interface EventLog {
  /** Stamped `at` when given (AWS's clock, as the run reads it), else by the store's clock. */
  append(event: Omit<DeploymentEvent, "id" | "at"> & { at?: string }): Promise<DeploymentEvent>;
  /** The deployment's events with id > after, oldest first. */
  since(deploymentId: string, after?: number): Promise<DeploymentEvent[]>;
}

/** What a key may do. read: everything read-only; the others per environment ("*" for every environment). */
export interface KeyScopes {
  read: boolean;
  createReleases: boolean;
  deploy: string[];
  approve: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: KeyScopes;
  createdAt: string;
  revokedAt?: string;
}

export interface ApiKeys {
  /** Stores only a hash of the secret. ConflictError when the name is taken. */
  create(key: { id: string; name: string; secretHash: string; scopes: KeyScopes }): Promise<ApiKey>;
  /** The live (not revoked) key whose secret hashes to this. */
  findByHash(secretHash: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  revoke(name: string): Promise<void>;
}

export interface AuditEntry {
  id: number;
  at: string;
  /** The key's name, or "cli:<login>" for a command run with direct access to the store. */
  actor: string;
  action: string;
  environment?: string;
  subject: string;
  detail?: unknown;
}

export interface AuditLog {
  record(entry: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry>;
  list(filter?: { limit?: number }): Promise<AuditEntry[]>;
}
