/**
 * slipway's own record of each deployment it ran — what ECS's service deployments say (seed 002), kept for
 * endpoints that do not have them and for what ECS does not know (the release, the slipway deployment id).
 * Behind an interface because a later issue moves storage to a database.
 */
export type RecordedStatus = "SUCCESSFUL" | "FAILED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED" | "TIMED_OUT";

export interface DeploymentRecord {
  /** slipway's deployment id: names the journal too. */
  deploymentId: string;
  kind: "deploy" | "rollback";
  environment: string;
  cluster: string;
  service: string;
  mode: string;
  release?: string;
  /** The ECS deployment (ecs-svc/…) that carried it out. */
  ecsDeploymentId?: string;
  /** Task definition ARN the service ran before; absent on the deploy that created the service. */
  sourceTaskDefinition?: string;
  targetTaskDefinition: string;
  startedAt: string;
  endedAt: string;
  status: RecordedStatus;
  circuitBreaker: { enabled: boolean; rollback: boolean; tripped: boolean };
  failedTasks: number;
  reason?: string;
}

export interface ServiceKey {
  environment: string;
  cluster: string;
  service: string;
}

export interface DeploymentRecords {
  append(record: DeploymentRecord): Promise<void>;
  /** The service's records, newest first. */
  list(key: ServiceKey): Promise<DeploymentRecord[]>;
  /** Where the records are kept, for telling people. */
  readonly location: string;
}
