/**
 * An ECS target: where one environment deploys to. Written by users in targets.yaml (or inline in
 * slipway.yaml) and checked against schemas/targets.schema.json before it becomes one of these.
 */
export interface Target {
  /** The environment this target serves. */
  environment: string;
  region: string;
  /** Cluster name or ARN. */
  cluster: string;
  /** The 12-digit account; when roleArn is given too, it is the role's account. */
  account?: string;
  roleArn?: string;
  externalId?: string;
  profile?: string;
  /** An AWS-compatible endpoint (slipway's simulator, moto); AWS itself when absent. */
  endpoint?: string;
  /** Only the service steps need one. */
  loadBalancer?: LoadBalancerRef;
  /** How slipway keeps the secrets it owns in this account (fromEnv secret variables). */
  secrets?: { kmsKeyId?: string };
}

/** The ALB listener, as its ARN or as the load balancer's name and the listener's port. */
export type ListenerRef = { arn: string } | { loadBalancer: string; port: number };

export interface LoadBalancerRef {
  listener: ListenerRef;
  /** Name or ARN each; primary serves the live version, canary the new one. Never the same group. */
  targetGroups: { primary: string; canary: string };
}

/** The account an IAM role ARN belongs to: arn:aws:iam::123456789012:role/x → 123456789012. */
export function accountOfRoleArn(roleArn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
}

/** The account a target names: its own, its role's, or its cluster ARN's; undefined when none says. */
export function accountOfTarget(target: Pick<Target, "account" | "roleArn" | "cluster">): string | undefined {
  return target.account ?? (target.roleArn && accountOfRoleArn(target.roleArn)) ?? /^arn:aws[a-z-]*:ecs:[^:]+:(\d{12}):/.exec(target.cluster)?.[1];
}

/** How a listener reads in a table or a log line. */
export function describeListener(listener: ListenerRef): string {
  return "arn" in listener ? listener.arn : `${listener.loadBalancer}:${listener.port}`;
}
