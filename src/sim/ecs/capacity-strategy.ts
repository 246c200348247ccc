import type { CapacityProviderStrategyItem } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { Workload } from "./service-model.js";

/**
 * Capacity provider strategies as ECS checks them. The simulator knows only the two providers every account has,
 * FARGATE and FARGATE_SPOT; it treats them as associated with every cluster (AWS requires them to be associated
 * first, through CreateCluster or PutClusterCapacityProviders), so a strategy naming anything else is refused as
 * AWS refuses a provider the cluster does not have.
 */

export const BUILT_IN_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;

/** The model's limits on a strategy and its items (CapacityProviderStrategy, ...ItemWeight, ...ItemBase). */
const MAX_ITEMS = 20;
const MAX_WEIGHT = 1000;
const MAX_BASE = 100_000;

/** AWS's wording (seen on RunTask and CreateService alike). */
const NOT_ASSOCIATED =
  "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.";

/**
 * All weights zero. AWS's wording for a cluster's default strategy is known verbatim; for a strategy given on the
 * call the same sentence is adapted (the simulator's phrasing of the same refusal).
 */
const NO_WEIGHT = {
  default:
    "There are no capacity providers with a weight value greater than zero defined in the default capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the cluster's default capacity provider strategy or specify a valid capacity provider strategy and try again.",
  given:
    "There are no capacity providers with a weight value greater than zero defined in the capacity provider strategy. At least one capacity provider must have a weight value greater than zero specified. Update the capacity provider strategy and try again.",
};

/**
 * Only one item may carry a base (the model's rule). AWS's message for it was not found: this is the simulator's
 * phrasing in AWS's style. A base of 0 counts as none, since 0 is the default tools send for every item.
 */
const TWO_BASES = "The specified capacity provider strategy cannot contain more than one capacity provider with a base value. Specify a base value for only one capacity provider and try again.";

const isBuiltIn = (name: string): boolean => (BUILT_IN_PROVIDERS as readonly string[]).includes(name);

function inRange(value: number | undefined, max: number): boolean {
  return value === undefined || value === null || (Number.isInteger(value) && value >= 0 && value <= max);
}

/**
 * Checks a non-empty strategy and answers it unchanged. `source` says whether the caller gave it or it is the
 * cluster's default, which only changes the wording of the all-weights-zero refusal.
 */
export function validateStrategy(items: CapacityProviderStrategyItem[], source: "given" | "default"): CapacityProviderStrategyItem[] {
  // Range messages are the simulator's phrasing of the model's constraints.
  if (items.length > MAX_ITEMS) throw invalidParameter(`capacityProviderStrategy can have at most ${MAX_ITEMS} items.`);
  const seen = new Set<string>();
  for (const item of items) {
    if (!item.capacityProvider) throw invalidParameter("capacityProvider can not be blank.");
    if (!inRange(item.weight, MAX_WEIGHT)) throw invalidParameter(`weight must be between 0 and ${MAX_WEIGHT}.`);
    if (!inRange(item.base, MAX_BASE)) throw invalidParameter(`base must be between 0 and ${MAX_BASE}.`);
    if (!isBuiltIn(item.capacityProvider)) throw invalidParameter(NOT_ASSOCIATED);
    // Simulator's phrasing: the placement below counts tasks by provider name, so one name may appear once.
    if (seen.has(item.capacityProvider)) throw invalidParameter(`The specified capacity provider strategy cannot contain ${item.capacityProvider} more than once.`);
    seen.add(item.capacityProvider);
  }
  if (items.filter((i) => (i.base ?? 0) > 0).length > 1) throw invalidParameter(TWO_BASES);
  if (items.every((i) => (i.weight ?? 0) === 0)) throw invalidParameter(NO_WEIGHT[source]);
  return items;
}

/** The strategy with AWS's defaults (weight 0, base 0) filled in, for telling a change from a resend. */
function normalised(items: CapacityProviderStrategyItem[]): string {
  return JSON.stringify(items.map((i) => [i.capacityProvider, i.weight ?? 0, i.base ?? 0]));
}

export function sameStrategy(a: CapacityProviderStrategyItem[] | undefined, b: CapacityProviderStrategyItem[] | undefined): boolean {
  return normalised(a ?? []) === normalised(b ?? []);
}

export const usesStrategy = (w: Pick<Workload, "capacityProviderStrategy">): boolean => (w.capacityProviderStrategy?.length ?? 0) > 0;

/** Fargate runs it: the FARGATE launch type, or a strategy (every provider the simulator knows is a Fargate one). */
export const runsOnFargate = (w: Pick<Workload, "launchType" | "capacityProviderStrategy">): boolean => w.launchType === "FARGATE" || usesStrategy(w);
