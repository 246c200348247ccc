/**
 * The contracts between the simulated services, where AWS couples them: ECS registers task IPs in ELBv2 target
 * groups and reads their health; ELBv2 asks ECS which task stands behind a target; ECS resolves ECR images.
 */
export type TargetHealthState = "initial" | "healthy" | "unhealthy" | "unused" | "draining";

export interface RegisteredTarget {
  /** The task's private IP (awsvpc) — the target id. */
  id: string;
  port: number;
  taskArn: string;
  /** False for a task whose image fails its health check: the target turns unhealthy instead of healthy. */
  passesHealthCheck: boolean;
}

export interface LoadBalancingLink {
  /** The target group, or undefined when no such group exists in the region. */
  targetGroup(region: string, arn: string): { arn: string; port?: number; loadBalancerArns: string[] } | undefined;
  registerTarget(region: string, targetGroupArn: string, target: RegisteredTarget, at: Date): void;
  /**
   * Starts the target draining; returns when it has drained and is gone from the group (`at` when it goes at
   * once: no such target, a deregistration delay of 0, or a group no listener uses).
   */
  deregisterTarget(region: string, targetGroupArn: string, id: string, port: number, at: Date): Date;
  targetHealth(region: string, targetGroupArn: string, id: string, port: number, now: Date): TargetHealthState;
  /**
   * A listener rule as ECS's blue/green, linear and canary deployments use it, or undefined when there is none. A
   * listener's ARN names its default rule. `forwards` is the forward action's weighted groups (none when the rule
   * does something else), `onlyForward` false when it also has other actions.
   */
  listenerRule(region: string, arn: string): ListenerRuleView | undefined;
  /** Rewrites the weights of the rule's forward action, as ModifyRule (or ModifyListener) would at `at`. */
  setForwardWeights(region: string, ruleArn: string, weights: { targetGroupArn: string; weight: number }[], at: Date): void;
}

export interface ListenerRuleView {
  ruleArn: string;
  listenerArn: string;
  loadBalancerArn: string;
  forwards?: { targetGroupArn: string; weight: number }[];
  onlyForward: boolean;
}

export interface TaskBehindTarget {
  taskArn: string;
  taskDefinitionArn: string;
  serviceName: string;
  clusterArn: string;
  /** The task set's id (ecs-svc/...) for EXTERNAL services; the deployment's id for ECS-controller services. */
  taskSetId?: string;
  deploymentId?: string;
  lastStatus: string;
  /** When its containers stopped serving: SIGTERM (STOPPING) or the exit of an essential container; a connection open then closes. */
  stoppedServingAt?: Date;
  stopCode?: string;
  /** The image of the container that takes the target group's traffic (the task's first essential one if unnamed). */
  image?: string;
}

export interface ContainerServiceLink {
  /** `targetGroupArn` picks the container whose image is reported: the one registered in that group. */
  taskBehindTarget(region: string, taskArn: string, targetGroupArn?: string): TaskBehindTarget | undefined;
}

export interface ImageRecord {
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
}

export interface RegistryLink {
  /** Finds the image an image URI names ("<registry>/<repo>:<tag>" or "<registry>/<repo>@<digest>"). */
  resolveImage(region: string, imageUri: string): ImageRecord | undefined;
}

/** ECS fetches a task's secrets with the task's execution role before its containers start. */
export interface SecretRequest {
  secretId: string;
  versionStage?: string;
  versionId?: string;
}

export interface SecretsLink {
  /** GetSecretValue as ECS calls it: the SecretString ("" for a binary secret), or Secrets Manager's error. */
  fetchSecretString(region: string, request: SecretRequest, at: Date): { value: string } | { error: { code: string; message: string } };
}

export interface ParametersLink {
  /** What GetParameters, asked for `names` (names or ARNs, each with an optional :version), lists as InvalidParameters. */
  invalidParameters(region: string, names: string[]): string[];
}
