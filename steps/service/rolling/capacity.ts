import type { CapacityProviderStrategyItem } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../../src/errors.js";
import { satisfies } from "../definition-diff.js";
import type { DesiredService, ObservedService } from "../state.js";

const showStrategy = (s: CapacityProviderStrategyItem[]) => s.map((i) => `${i.capacityProvider ?? ""}${i.base ? ` base ${i.base}` : ""} weight ${i.weight ?? 0}`).join(", ");

/**
 * Where an existing service's tasks run, against where the step wants them. ECS moves a service from a launch
 * type to a capacity provider strategy, or between strategies, only with a new deployment (forceNewDeployment);
 * it never changes a launch type in place, nor goes back from a strategy to a launch type (UpdateService takes no
 * launchType). Those are refused before any write, with what to do. Pure.
 */
export function capacityChange(current: ObservedService, desired: DesiredService): { strategy?: CapacityProviderStrategyItem[]; diff?: string } {
  const want = desired.definition.capacityProviderStrategy;
  const have = current.definition.capacityProviderStrategy ?? [];
  if (desired.launchType !== undefined) {
    if (have.length > 0) {
      throw new ConflictError(
        `The service "${current.name}" runs on a capacity provider strategy (${showStrategy(have)}); the step asks for launchType: ${desired.launchType}. ECS cannot move a service from a capacity provider strategy back to a launch type in place.`,
        `Write the strategy in the step (capacityProviderStrategy: [{ capacityProvider: ${desired.launchType === "FARGATE" ? "FARGATE" : "<your EC2 capacity provider>"}, weight: 1 }]) instead of launchType, or create a service under a new name with launchType: ${desired.launchType} and move traffic to it.`,
      );
    }
    if (current.launchType !== undefined && current.launchType !== desired.launchType) {
      throw new ConflictError(`The service "${current.name}" runs on ${current.launchType}; the step asks for ${desired.launchType}. ECS cannot change a service's launch type in place.`, `Keep launchType: ${current.launchType}, or create a service under a new name with ${desired.launchType} and move traffic to it.`);
    }
    return {};
  }
  if (want === undefined || satisfies(want, have)) return {};
  const from = have.length > 0 ? showStrategy(have) : `launch type ${current.launchType ?? "(cluster default)"}`;
  return { strategy: want, diff: `capacity provider strategy: ${from} → ${want.length > 0 ? showStrategy(want) : "the cluster's default strategy"} (a new deployment: ECS replaces every task to move them)` };
}
