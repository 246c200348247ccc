import type { ClusterSetting, PutClusterCapacityProvidersRequest, UpdateClusterRequest } from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { Handler } from "../module.js";
import { BUILT_IN_PROVIDERS, validateStrategy } from "./capacity-strategy.js";
import { describeCluster, everything, validateSettings } from "./clusters.js";
import { ecsState, requireCluster } from "./lookup.js";
import { serviceConnectDefaults } from "./service-connect.js";

/**
 * UpdateCluster and PutClusterCapacityProviders: what a cluster holds beyond its name — settings (Container
 * Insights), configuration (execute command, managed storage), Service Connect defaults, and its capacity
 * providers with their default strategy.
 */

/** Settings named in the request replace those of the same name; the others stay. */
function mergeSettings(current: ClusterSetting[], given: ClusterSetting[]): ClusterSetting[] {
  const byName = new Map(current.map((s) => [s.name, s]));
  for (const setting of given) byName.set(setting.name, setting);
  return [...byName.values()];
}

/** AWS's phrasing of a provider that is neither an account's own nor a built-in one is not published: ours. */
const unknownProvider = (name: string) => invalidParameter(`The specified capacity provider ${name} does not exist. Specify a valid capacity provider and try again.`);

/** Also our phrasing: AWS documents the rule ("only ... if it's not being used by any existing tasks"), not its words. */
const inUse = (name: string) =>
  new AwsError("ResourceInUseException", `The specified capacity provider ${name} is in use by tasks in the cluster and cannot be removed. Stop the tasks that use it and try again.`);

export const clusterUpdateOperations: Record<string, Handler> = {
  UpdateCluster(input: UpdateClusterRequest, ctx) {
    const state = ecsState(ctx);
    if (!input.cluster) throw invalidParameter("cluster must be specified.");
    const cluster = requireCluster(state, input.cluster);
    const settings = input.settings ? validateSettings(input.settings) : undefined;
    const defaults = input.serviceConnectDefaults ? serviceConnectDefaults(state, input.serviceConnectDefaults) : undefined;
    if (settings) cluster.settings = mergeSettings(cluster.settings, settings);
    // Each part of the configuration given replaces the one before; the parts not given stay.
    if (input.configuration) cluster.configuration = { ...cluster.configuration, ...input.configuration };
    if (defaults) {
      if (defaults.serviceConnectDefaults) cluster.serviceConnectDefaults = defaults.serviceConnectDefaults;
      else delete cluster.serviceConnectDefaults;
    }
    return { cluster: describeCluster(state, cluster, everything) };
  },

  PutClusterCapacityProviders(input: PutClusterCapacityProvidersRequest, ctx) {
    const state = ecsState(ctx);
    if (!input.cluster) throw invalidParameter("cluster must be specified.");
    // Both lists are required; an empty strategy is how a caller says it wants none (the model's documentation).
    if (!Array.isArray(input.capacityProviders)) throw invalidParameter("capacityProviders must be specified.");
    if (!Array.isArray(input.defaultCapacityProviderStrategy)) throw invalidParameter("defaultCapacityProviderStrategy must be specified.");
    const cluster = requireCluster(state, input.cluster);
    const providers = [...new Set(input.capacityProviders)];
    for (const name of providers) if (!(BUILT_IN_PROVIDERS as readonly string[]).includes(name)) throw unknownProvider(name);
    const strategy = input.defaultCapacityProviderStrategy.length > 0 ? validateStrategy(input.defaultCapacityProviderStrategy, "default") : [];
    for (const item of strategy) {
      if (!providers.includes(item.capacityProvider ?? "")) {
        throw invalidParameter(
          "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.",
        );
      }
    }
    // A provider left out is disassociated, which AWS allows only while no task uses it.
    for (const name of cluster.capacityProviders.filter((p) => !providers.includes(p))) {
      const used = [...state.tasks.values()].some((t) => t.clusterArn === cluster.arn && t.lastStatus !== "STOPPED" && t.capacityProviderName === name);
      if (used) throw inUse(name);
    }
    cluster.capacityProviders = providers;
    cluster.defaultCapacityProviderStrategy = strategy.map((item) => ({ capacityProvider: item.capacityProvider, weight: item.weight ?? 0, base: item.base ?? 0 }));
    return { cluster: describeCluster(state, cluster, everything) };
  },
};
