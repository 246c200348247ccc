import type {
  Cluster,
  ClusterField,
  ClusterSetting,
  CreateClusterRequest,
  DeleteClusterRequest,
  DescribeClustersRequest,
  Failure,
  ListClustersRequest,
} from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { Handler } from "../module.js";
import { clusterCounts, liveTasksIn, remainingServicesIn } from "./cluster-counts.js";
import { clusterNameOf, ecsState, requireCluster } from "./lookup.js";
import { paginate } from "../paging.js";
import type { ClusterRecord, EcsRegionState } from "./state.js";
import { dropTags, putTags, tagsOf } from "./tags.js";
import { serviceConnectDefaults } from "./service-connect.js";

/** Up to 255 letters, numbers, hyphens and underscores (CreateCluster's clusterName rule). */
const clusterNamePattern = /^[A-Za-z0-9_-]{1,255}$/;

const settingValues = ["enabled", "disabled", "enhanced"];

export function validateSettings(settings: ClusterSetting[] | undefined): ClusterSetting[] {
  for (const setting of settings ?? []) {
    if (setting.name !== "containerInsights") throw invalidParameter(`Unsupported cluster setting name: ${String(setting.name)}`);
    if (!settingValues.includes(setting.value ?? "")) throw invalidParameter(`Unsupported value for containerInsights: ${String(setting.value)}`);
  }
  return settings ?? [];
}

/** The cluster as AWS describes it; tags, settings and statistics only when asked for, as DescribeClusters' include does. */
export function describeCluster(state: EcsRegionState, cluster: ClusterRecord, include: ReadonlySet<ClusterField | string>): Cluster {
  const counts = cluster.status === "ACTIVE" ? clusterCounts(state, cluster.arn) : { activeServicesCount: 0, runningTasksCount: 0, pendingTasksCount: 0 };
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    ...counts,
    statistics: include.has("STATISTICS")
      ? [
          { name: "runningFargateTasksCount", value: String(counts.runningTasksCount) },
          { name: "pendingFargateTasksCount", value: String(counts.pendingTasksCount) },
          { name: "activeFargateServiceCount", value: String(counts.activeServicesCount) },
        ]
      : [],
    tags: include.has("TAGS") ? tagsOf(state, cluster.arn) : [],
    ...(include.has("SETTINGS") && { settings: cluster.settings }),
    ...(include.has("CONFIGURATIONS") && cluster.configuration && { configuration: cluster.configuration }),
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
    ...(cluster.serviceConnectDefaults && { serviceConnectDefaults: cluster.serviceConnectDefaults }),
  };
}

export const everything = new Set<string>(["TAGS", "SETTINGS", "CONFIGURATIONS"]);

export const clusterOperations: Record<string, Handler> = {
  CreateCluster(input: CreateClusterRequest, ctx) {
    const state = ecsState(ctx);
    const name = input.clusterName ?? "default";
    if (!clusterNamePattern.test(name)) {
      throw invalidParameter("Cluster name can have up to 255 characters, and can contain letters (uppercase and lowercase), numbers, underscores, and hyphens.");
    }
    // Creating a cluster that already exists and is ACTIVE answers with that cluster unchanged.
    const existing = state.clusters.get(name);
    if (existing && existing.status === "ACTIVE") return { cluster: describeCluster(state, existing, everything) };
    const settings = validateSettings(input.settings);
    const cluster: ClusterRecord = {
      arn: state.arn(`cluster/${name}`),
      name,
      status: "ACTIVE",
      createdAt: ctx.now,
      settings: settings.length > 0 ? settings : [{ name: "containerInsights", value: "disabled" }],
      ...(input.configuration && { configuration: input.configuration }),
      capacityProviders: input.capacityProviders ?? [],
      defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
      ...serviceConnectDefaults(state, input.serviceConnectDefaults),
    };
    // A re-created cluster is a new resource: the old one's tags do not come back.
    dropTags(state, cluster.arn);
    putTags(state, cluster.arn, input.tags);
    state.clusters.set(name, cluster);
    return { cluster: describeCluster(state, cluster, everything) };
  },

  DescribeClusters(input: DescribeClustersRequest, ctx) {
    const state = ecsState(ctx);
    const refs = input.clusters && input.clusters.length > 0 ? input.clusters : ["default"];
    if (refs.length > 100) throw invalidParameter("clusters can have at most 100 items.");
    const include = new Set<string>(input.include ?? []);
    const clusters: Cluster[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const name = clusterNameOf(ref);
      const cluster = state.clusters.get(name);
      if (cluster) clusters.push(describeCluster(state, cluster, include));
      else failures.push({ arn: ref.startsWith("arn:") ? ref : state.arn(`cluster/${name}`), reason: "MISSING" });
    }
    return { clusters, failures };
  },

  ListClusters(input: ListClustersRequest, ctx) {
    const state = ecsState(ctx);
    const active = [...state.clusters.values()].filter((c) => c.status === "ACTIVE").sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const page = paginate(active, (c) => c.arn, input, { max: 100, defaultSize: 100 });
    return { clusterArns: page.items.map((c) => c.arn), ...(page.nextToken && { nextToken: page.nextToken }) };
  },

  DeleteCluster(input: DeleteClusterRequest, ctx) {
    const state = ecsState(ctx);
    if (!input.cluster) throw invalidParameter("cluster must be specified.");
    const cluster = requireCluster(state, input.cluster);
    // A DRAINING service still exists (its tasks are stopping), so it blocks the delete as an ACTIVE one does.
    if (remainingServicesIn(state, cluster.arn).length > 0) {
      throw new AwsError("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.");
    }
    if (liveTasksIn(state, cluster.arn) > 0) {
      throw new AwsError("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.");
    }
    const described = describeCluster(state, cluster, new Set(["SETTINGS"]));
    cluster.status = "INACTIVE";
    dropTags(state, cluster.arn);
    return { cluster: { ...described, status: "INACTIVE" } };
  },
};
