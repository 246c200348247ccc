import { randomBytes } from "node:crypto";
import type { ScalableDimension, ServiceNamespace } from "@aws-sdk/client-application-auto-scaling";

/**
 * The scalable targets of one region. A target is known by namespace, resource id and dimension together; the
 * simulator registers ECS services only (ecs, service/<cluster>/<service>, ecs:service:DesiredCount).
 */
export interface SuspendedFlags {
  dynamicScalingIn: boolean;
  dynamicScalingOut: boolean;
  scheduledScaling: boolean;
}

export interface ScalableTargetRecord {
  key: string;
  arn: string;
  namespace: ServiceNamespace;
  resourceId: string;
  dimension: ScalableDimension;
  minCapacity: number;
  maxCapacity: number;
  /** The service-linked role AWS reports for the namespace; a RoleARN given for ECS is ignored, as AWS does. */
  roleArn: string;
  suspended: SuspendedFlags;
  /** Given at creation only: RegisterScalableTarget refuses tags for a target that exists. */
  tags: Record<string, string>;
  createdAt: Date;
}

/** One target per key; the key sorts by resource id, then dimension, which is also the listing order. */
export function targetKey(namespace: string, resourceId: string, dimension: string): string {
  return `${namespace}\u0000${resourceId}\u0000${dimension}`;
}

export class AutoScalingRegionState {
  readonly targets = new Map<string, ScalableTargetRecord>();

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  /** arn:aws:application-autoscaling:<region>:<account>:scalable-target/ and 36 hex digits, as in AWS's examples. */
  newTargetArn(): string {
    return `arn:aws:application-autoscaling:${this.region}:${this.account}:scalable-target/${randomBytes(18).toString("hex")}`;
  }
}
