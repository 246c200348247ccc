import type { ScalableTarget } from "@aws-sdk/client-application-auto-scaling";
import type { ScalableTargetRecord } from "./state.js";

/** A target as DescribeScalableTargets answers it: SuspendedState always with its three flags, as AWS shows it. */
export function targetView(record: ScalableTargetRecord): ScalableTarget {
  return {
    ServiceNamespace: record.namespace,
    ResourceId: record.resourceId,
    ScalableDimension: record.dimension,
    MinCapacity: record.minCapacity,
    MaxCapacity: record.maxCapacity,
    RoleARN: record.roleArn,
    CreationTime: record.createdAt,
    SuspendedState: {
      DynamicScalingInSuspended: record.suspended.dynamicScalingIn,
      DynamicScalingOutSuspended: record.suspended.dynamicScalingOut,
      ScheduledScalingSuspended: record.suspended.scheduledScaling,
    },
    ScalableTargetARN: record.arn,
  };
}
