/**
 * One deployment of a release to an environment: the process's steps run in order against that environment's
 * target. Its journal, gates and events share its id.
 */
export type DeploymentRunStatus = "queued" | "running" | "succeeded" | "failed" | "aborted" | "interrupted";

export const finalStatuses: readonly DeploymentRunStatus[] = ["succeeded", "failed", "aborted"];

export interface DeploymentRun {
  id: string;
  project: string;
  release: string;
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
  /** Each finished step's output, by step name. */
  outputs: Record<string, unknown>;
}

export type NewDeploymentRun = Pick<DeploymentRun, "id" | "release" | "environment" | "requestedBy">;
