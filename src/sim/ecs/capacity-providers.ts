import type { CapacityProvider, DescribeCapacityProvidersRequest, DescribeCapacityProvidersResponse, Failure } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { BUILT_IN_PROVIDERS } from "./capacity-strategy.js";
import { ecsState, requireCluster } from "./lookup.js";
import { paginate } from "../paging.js";
import type { EcsRegionState } from "./state.js";

/**
 * DescribeCapacityProviders. Every account has the two Fargate providers and the simulator has no others (it
 * serves no CreateCapacityProvider), so a listing holds just those two. AWS describes each built-in by its ARN,
 * name, ACTIVE status and (always empty) tags.
 */

/** The model's limits: up to 100 providers named in one call; pages of 1 to 10, 10 by default. */
const MAX_NAMED = 100;
const PAGE = { max: 10, defaultSize: 10 };

const arnOf = (state: EcsRegionState, name: string) => state.arn(`capacity-provider/${name}`);

function describe(state: EcsRegionState, name: string): CapacityProvider {
  return { capacityProviderArn: arnOf(state, name), name, status: "ACTIVE", tags: [] };
}

/** A provider's short name or ARN → the built-in it names in this region and account, if any. */
function findProvider(state: EcsRegionState, ref: string): string | undefined {
  return BUILT_IN_PROVIDERS.find((name) => name === ref || arnOf(state, name) === ref);
}

function describeCapacityProviders(input: DescribeCapacityProvidersRequest, ctx: CallContext): DescribeCapacityProvidersResponse {
  const state = ecsState(ctx);
  const refs = input.capacityProviders ?? [];
  if (refs.length > MAX_NAMED) throw invalidParameter(`capacityProviders can have at most ${MAX_NAMED} items.`);
  // With a cluster, only the providers associated with it (the model's documentation of `cluster`).
  const associated = input.cluster ? new Set(requireCluster(state, input.cluster).capacityProviders) : undefined;
  const failures: Failure[] = [];
  let names: string[];
  if (refs.length === 0) {
    names = [...BUILT_IN_PROVIDERS];
  } else {
    const found = new Set<string>();
    for (const ref of refs) {
      const name = findProvider(state, ref);
      if (name) found.add(name);
      // Unknown names come back as failures, as every ECS Describe call reports what it cannot find.
      else failures.push({ arn: ref.startsWith("arn:") ? ref : arnOf(state, ref), reason: "MISSING" });
    }
    names = [...found];
  }
  names = names.filter((name) => !associated || associated.has(name)).sort();
  const page = paginate(names, (name) => name, input, PAGE);
  return {
    capacityProviders: page.items.map((name) => describe(state, name)),
    // Failures belong to the request, not to a page: report them once, with its first page.
    failures: input.nextToken ? [] : failures,
    ...(page.nextToken && { nextToken: page.nextToken }),
  };
}

export const capacityProviderOperations: Record<string, Handler> = {
  DescribeCapacityProviders: describeCapacityProviders,
};
