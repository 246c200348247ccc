import type { AvailabilityZoneRebalancing, PlacementStrategy } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import { runsOnFargate } from "./capacity-strategy.js";
import type { Placement } from "./service-capacity.js";

/**
 * Service-level settings of CreateService/UpdateService that are not part of a revision: the desired count's rules
 * per scheduling strategy, the load balancer role, and Availability Zone rebalancing.
 */

/** AWS's wording (reported by ECS users for CreateService and UpdateService alike). */
export const DAEMON_COUNT = "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again";

/**
 * desiredCount is "required if schedulingStrategy is REPLICA or isn't specified" (AWS's model) and refused for
 * DAEMON. A DAEMON service runs one task per container instance; the simulator has no container instances, so
 * it wants none. The REPLICA message is ours.
 */
export function desiredCountAtCreate(given: number | undefined, schedulingStrategy: string): number {
  if (schedulingStrategy === "DAEMON") {
    if (given !== undefined) throw invalidParameter(DAEMON_COUNT);
    return 0;
  }
  if (given === undefined) throw invalidParameter("desiredCount is required for services that use the REPLICA scheduling strategy.");
  return given;
}

/** "Tasks using the Fargate launch type ... don't support the DAEMON scheduling strategy" (AWS's model). Our wording. */
export function refuseDaemonOnFargate(schedulingStrategy: string, placement: Placement): void {
  if (schedulingStrategy === "DAEMON" && runsOnFargate(placement)) throw invalidParameter("The DAEMON scheduling strategy is not supported on Fargate.");
}

/** AWS's wording, for a role given where ECS must use its service-linked role. */
const NEEDS_SLR = "You cannot specify an IAM role for services that require a service linked role.";

/**
 * CreateService's `role`: allowed only with a load balancer and a task definition not in awsvpc mode; the
 * service-linked role is required for awsvpc, service discovery and the EXTERNAL controller (AWS's model).
 * Returned as roleArn: a name (with its path, if any) becomes the role's ARN.
 */
export function roleArnAtCreate(role: string | undefined, account: string, needs: { awsvpc: boolean; external: boolean; registries: boolean; loadBalancers: boolean }): string | undefined {
  if (!role) return undefined;
  if (needs.awsvpc || needs.external || needs.registries) throw invalidParameter(NEEDS_SLR);
  // "If you specify the role parameter, you must also specify a load balancer object" — our wording.
  if (!needs.loadBalancers) throw invalidParameter("A role can only be specified for a service that uses a load balancer.");
  if (role.startsWith("arn:")) return role;
  return `arn:aws:iam::${account}:role/${role.replace(/^\/+/, "")}`;
}

export function requireRebalancing(value: string | undefined): AvailabilityZoneRebalancing | undefined {
  if (value === undefined || value === null) return undefined;
  if (value !== "ENABLED" && value !== "DISABLED") throw invalidParameter("availabilityZoneRebalancing must be ENABLED or DISABLED.");
  return value;
}

/**
 * ENABLED for a new service unless asked otherwise (AWS's model), except where it is incompatible: AWS's notice of
 * the change names services on a binpack placement strategy, which default to DISABLED.
 */
export function rebalancingAtCreate(given: string | undefined, placementStrategy: PlacementStrategy[]): AvailabilityZoneRebalancing {
  return requireRebalancing(given) ?? (placementStrategy.some((p) => p.type === "binpack") ? "DISABLED" : "ENABLED");
}
