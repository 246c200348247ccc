import type { CapacityProviderStrategyItem } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import { sameStrategy, usesStrategy, validateStrategy } from "./capacity-strategy.js";
import type { ServiceRecord } from "./service-model.js";
import type { ClusterRecord } from "./state.js";

/**
 * Where a service's (or task set's) tasks run: a launch type or a capacity provider strategy, never both. These
 * are ECS's rules for choosing it at create time and for changing it with UpdateService; the messages are AWS's.
 */
export interface Placement {
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
}

interface PlacementRequest {
  launchType?: string | undefined;
  capacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined;
  platformVersion?: string | undefined;
}

const BOTH = "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.";
const EC2_PLATFORM = "The platform version must be null when specifying an EC2 launch type.";
const MUST_FORCE =
  "When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.";
const NO_FALLBACK = "No launch type to fall back to for empty capacity provider strategy. Your service was not created with a launch type.";

/**
 * At create time: the strategy given, else the launch type given, else the cluster's default strategy, else EC2
 * (CreateService's documented fallbacks). A platform version is for Fargate only.
 */
export function placementAtCreate(input: PlacementRequest, cluster: ClusterRecord): Placement {
  const given = input.capacityProviderStrategy ?? [];
  if (input.launchType && given.length > 0) throw invalidParameter(BOTH);
  let placement: Placement;
  if (given.length > 0) placement = { capacityProviderStrategy: validateStrategy(given, "given") };
  else if (input.launchType) placement = { launchType: input.launchType };
  else if (cluster.defaultCapacityProviderStrategy.length > 0) placement = { capacityProviderStrategy: validateStrategy(cluster.defaultCapacityProviderStrategy, "default") };
  else placement = { launchType: "EC2" };
  if (placement.launchType === "EC2" && input.platformVersion !== undefined && input.platformVersion !== null) throw invalidParameter(EC2_PLATFORM);
  return placement;
}

interface PlacementUpdate extends PlacementRequest {
  forceNewDeployment?: boolean | undefined;
}

/**
 * UpdateService's capacityProviderStrategy, against what the service runs on now; undefined when it stays. The
 * parameter does not start a deployment by itself (UpdateService's documentation), so AWS refuses a switch to a
 * strategy, or any change of one — an empty list on a strategy service included — unless a deployment is forced.
 * An empty list reverts to the launch type the service was created with, when it had one.
 */
export function placementAtUpdate(input: PlacementUpdate, service: ServiceRecord, current: Placement): Placement | undefined {
  const given = input.capacityProviderStrategy;
  let next: Placement | undefined;
  if (given !== undefined && given !== null) {
    if (given.length === 0) {
      if (usesStrategy(current)) {
        if (!input.forceNewDeployment) throw invalidParameter(MUST_FORCE);
        if (!service.launchTypeAtCreation) throw invalidParameter(NO_FALLBACK);
        next = { launchType: service.launchTypeAtCreation };
      }
    } else {
      validateStrategy(given, "given");
      if (!usesStrategy(current) || !sameStrategy(given, current.capacityProviderStrategy)) {
        if (!input.forceNewDeployment) throw invalidParameter(MUST_FORCE);
        next = { capacityProviderStrategy: given };
      }
    }
  }
  const launchType = (next ?? current).launchType;
  if (launchType === "EC2" && input.platformVersion !== undefined && input.platformVersion !== null) throw invalidParameter(EC2_PLATFORM);
  return next;
}
