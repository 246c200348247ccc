import { DescribeScalableTargetsCommand, RegisterScalableTargetCommand, type ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { awsErrorName, callAws } from "./call.js";
import { isNotOffered } from "./service-deployments.js";

/**
 * How Application Auto Scaling stands toward one ECS service. `unknown` when it could not be read (no permission):
 * a deploy then treats the count as someone else's, which is the safe side.
 */
export type ServiceScaling =
  | { kind: "registered"; minCapacity: number; maxCapacity: number; suspended: { scaleIn: boolean; scaleOut: boolean; scheduled: boolean } }
  | { kind: "none" }
  | { kind: "unknown"; reason: string };

export interface ScalableTargets {
  /** The service's scalable target (its desired count), if Application Auto Scaling manages it. */
  ofService(cluster: string, service: string): Promise<ServiceScaling>;
  /** Suspends (or resumes) dynamic scale-in of a registered service; its other scaling goes on as it was. */
  setScaleInSuspended(cluster: string, service: string, suspended: boolean): Promise<void>;
}

/** Application Auto Scaling names an ECS service this way; its one dimension is the desired count. */
export const serviceResourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;
export const desiredCountDimension = "ecs:service:DesiredCount";

export class AasScalableTargets implements ScalableTargets {
  constructor(private readonly client: ApplicationAutoScalingClient) {}

  async ofService(cluster: string, service: string): Promise<ServiceScaling> {
    const resourceId = serviceResourceId(cluster, service);
    try {
      const out = await callAws("DescribeScalableTargets", resourceId, () =>
        this.client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: [resourceId], ScalableDimension: desiredCountDimension })),
      );
      const target = out.ScalableTargets?.[0];
      if (!target) return { kind: "none" };
      const suspended = target.SuspendedState ?? {};
      return {
        kind: "registered",
        minCapacity: target.MinCapacity ?? 0,
        maxCapacity: target.MaxCapacity ?? 0,
        suspended: { scaleIn: suspended.DynamicScalingInSuspended ?? false, scaleOut: suspended.DynamicScalingOutSuspended ?? false, scheduled: suspended.ScheduledScalingSuspended ?? false },
      };
    } catch (error) {
      const name = awsErrorName(error) ?? "an unreadable answer";
      // An endpoint without Application Auto Scaling (an emulator) has nothing that could scale the service.
      if (isNotOffered(error)) return { kind: "none" };
      if (/AccessDenied|NotAuthorized|Unauthorized/.test(name)) return { kind: "unknown", reason: `application-autoscaling:DescribeScalableTargets was refused (${name})` };
      throw error;
    }
  }

  async setScaleInSuspended(cluster: string, service: string, suspended: boolean): Promise<void> {
    const resourceId = serviceResourceId(cluster, service);
    // An update names only what changes: the fields of SuspendedState left out keep their values.
    await callAws("RegisterScalableTarget", resourceId, () =>
      this.client.send(new RegisterScalableTargetCommand({ ServiceNamespace: "ecs", ResourceId: resourceId, ScalableDimension: desiredCountDimension, SuspendedState: { DynamicScalingInSuspended: suspended } })),
    );
  }
}
