import type { Service } from "@aws-sdk/client-ecs";
/**
 * What a person watching a deployment is told, as it happens. The step reports facts; how they are shown (a
 * status line on a terminal, timestamped lines in CI, nothing in a test that does not care) is the caller's.
 */
export interface DeploymentSnapshot {
  service: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** Newest first, as ECS lists them. */
  deployments: {
    id: string;
    status: string;
    taskDefinition: string;
    desiredCount: number;
    pendingCount: number;
    runningCount: number;
    failedTasks: number;
    rolloutState?: string;
  }[];
}

export interface ServiceEvent {
  at: Date;
  message: string;
}

export interface DeploymentProgress {
  /** The deployments' counts changed since the last poll (or this is the first poll). */
  status(snapshot: DeploymentSnapshot): void;
  /** A service event ECS recorded since the deployment started; each is told once, oldest first. */
  event(event: ServiceEvent): void;
  /** Anything else worth a line: a write made, a poll retried, part of a failure's explanation. */
  note(line: string): void;
  /**
   * Where a deployment ECS runs on its own (the ecs-* modes) stands now — status, stage and traffic in one line,
   * also told as a note — for a status line to show in place of the task counts, which say little there.
   */
  stage?(line: string): void;
  /** The wait is over: a status line may be cleared. */
  done?(): void;
}

/**
 * What a person is shown of a service: its counts, then one row per deployment (rolling) or task set (EXTERNAL),
 * which each mode reads from its own part of DescribeServices.
 */
export function serviceSnapshot(service: Pick<Service, "serviceName" | "desiredCount" | "runningCount" | "pendingCount">, deployments: DeploymentSnapshot["deployments"]): DeploymentSnapshot {
  return {
    service: service.serviceName ?? "",
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    deployments,
  };
}

export const silentProgress: DeploymentProgress = { status: () => undefined, event: () => undefined, note: () => undefined };

/** "shop-web 1/2 running, 1 pending | PRIMARY shop-web:2 IN_PROGRESS 1/2 (1 pending) | ACTIVE shop-web:1 2/2" */
export function describeSnapshot(s: DeploymentSnapshot): string {
  const deployments = s.deployments.map((d) => {
    const pending = d.pendingCount > 0 ? ` (${d.pendingCount} pending)` : "";
    const failed = d.failedTasks > 0 ? `, ${d.failedTasks} failed` : "";
    return `${d.status} ${d.taskDefinition}${d.rolloutState ? ` ${d.rolloutState}` : ""} ${d.runningCount}/${d.desiredCount}${pending}${failed}`;
  });
  return [`${s.service} ${s.runningCount}/${s.desiredCount} running${s.pendingCount > 0 ? `, ${s.pendingCount} pending` : ""}`, ...deployments].join(" | ");
}
