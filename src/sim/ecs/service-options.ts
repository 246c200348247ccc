import type { AvailabilityZoneRebalancing, PlacementStrategy } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import { runsOnFargate } from "./capacity-strategy.js";
import type { Placement } from "./service-capacity.js";
import type { DeploymentSettings } from "./service-model.js";

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

/**
 * A DAEMON service's deployment settings: maximumPercent "must be 100 ... which is the default value used if not
 * set", and minimumHealthyPercent defaults to 0 through the API (developer guide, deployment options). AWS's message.
 */
export const DAEMON_DEFAULTS: DeploymentSettings = { maximumPercent: 100, minimumHealthyPercent: 0, deploymentCircuitBreaker: { enable: false, rollback: false }, strategy: "ROLLING" };
export function requireDaemonSettings(schedulingStrategy: string, settings: DeploymentSettings): DeploymentSettings {
  if (schedulingStrategy === "DAEMON" && settings.maximumPercent > 100) throw invalidParameter("The daemon scheduling strategy does not support values above 100 for maximumPercent");
  return settings;
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
 * ENABLED for a new service unless asked otherwise (AWS's model), except where the feature does not apply, which
 * defaults to DISABLED: a binpack placement strategy (AWS's notice of the change), and DAEMON services, the
 * EXTERNAL launch type and maximumPercent 100 (the rebalancing page of the developer guide). Classic Load Balancers
 * and AZ placement constraints, also excluded there, are not told apart here.
 */
export function rebalancingAtCreate(given: string | undefined, service: { placementStrategy: PlacementStrategy[]; schedulingStrategy: string; launchType?: string | undefined; maximumPercent: number }): AvailabilityZoneRebalancing {
  const excluded =
    service.placementStrategy.some((p) => p.type === "binpack") || service.schedulingStrategy === "DAEMON" || service.launchType === "EXTERNAL" || service.maximumPercent === 100;
  return requireRebalancing(given) ?? (excluded ? "DISABLED" : "ENABLED");
}
