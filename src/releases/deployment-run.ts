/**
 * One deployment to an environment. Most are deployments of a release: the process's steps run in order against
 * that environment's target. A rollback (`slipway rollback`) is a deployment too: it returns one service to its
 * previous successful revision, and is recorded as a run of kind "rollback" so status and history say what runs.
 * A run's journal, gates and events share its id.
 */
/**
 * rolled-back: a person aborted it, and what it had changed was returned to how it found it. aborted: a person
 * stopped it with nothing to return (older runs also recorded an abort that left things as they stood).
 */
export type DeploymentRunStatus = "queued" | "running" | "succeeded" | "failed" | "aborted" | "rolled-back" | "interrupted";

export const finalStatuses: readonly DeploymentRunStatus[] = ["succeeded", "failed", "aborted", "rolled-back"];

export type DeploymentRunKind = "deploy" | "rollback";

/** A task definition revision, with the release that made it when slipway knows which. */
export interface RevisionRelease {
  taskDefinition: string;
  release?: string;
}

/** What a rollback changed: one service, from the revision it ran to the previous successful one. */
export interface RollbackChange {
  service: string;
  cluster: string;
  /** The ECS deployment (ecs-svc/…) that carries the rollback out. */
  ecsDeploymentId: string;
  from: RevisionRelease;
  /** Its release is always the run's release (absent together). */
  to: RevisionRelease;
}

interface RunFields {
  id: string;
  project: string;
  environment: string;
  status: DeploymentRunStatus;
  /** The key name or "cli:<login>" that asked for it. */
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** The process running it now (or last): a server that restarts resumes runs whose runner is gone. */
  runner?: { pid: number; host: string };
  error?: { message: string; hint?: string };
  /** Each finished step's output, by step name (a rollback has none). */
  outputs: Record<string, unknown>;
}

export interface ReleaseRun extends RunFields {
  kind: "deploy";
  release: string;
  /**
   * Set by `slipway rollback --env`: this deploys an earlier release in place of this one (a release; or, after a
   * service rollback to a revision no release is known to have made, that revision, "shop-web:3"). Such a run moves traffic
   * at once — no canary stages, pauses, gates or verification — since the release it returns to ran there before.
   */
  replaces?: string;
}

export interface RollbackRun extends RunFields {
  kind: "rollback";
  /**
   * The release whose revision the service returned to: what now runs there. Absent when neither the store's
   * runs nor the revision's slipway:release tag name a release of this project — a rollback never claims one.
   */
  release?: string;
  rollback: RollbackChange;
}

export type DeploymentRun = ReleaseRun | RollbackRun;

/** A deployment of a release, created queued. */
export interface NewReleaseRun {
  kind?: "deploy";
  id: string;
  release: string;
  environment: string;
  requestedBy: string;
  replaces?: string;
}

/** A rollback, created once its ECS deployment has started (so `rollback` is known whole); its release is rollback.to's. */
export interface NewRollbackRun {
  kind: "rollback";
  id: string;
  environment: string;
  requestedBy: string;
  rollback: RollbackChange;
}

export type NewDeploymentRun = NewReleaseRun | NewRollbackRun;
