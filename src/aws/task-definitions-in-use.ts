import { DescribeServicesCommand, paginateListClusters, paginateListServices, type ECSClient, type Service } from "@aws-sdk/client-ecs";
import { callAws } from "./call.js";

/**
 * Which task definition revisions services still use: what retention must not deregister. Every cluster of the
 * account and region is read, not only the target's: environments sharing an account and region share task
 * definition families, and another environment's service (in a cluster this target does not name) may run a
 * revision. A service uses the revision it is set to, every revision a deployment of it still runs (a rolling
 * update in progress runs two), and each task set's revision (externally managed services).
 */
export interface TaskDefinitionUsage {
  /** ARN of every revision some service in the account and region uses → the service that uses it. */
  inUse(): Promise<Map<string, string>>;
}

/** DescribeServices takes at most 10 services per call. */
const describeBatch = 10;

export function revisionsUsedBy(service: Service): string[] {
  return [service.taskDefinition, ...(service.deployments ?? []).map((d) => d.taskDefinition), ...(service.taskSets ?? []).map((t) => t.taskDefinition)].filter(
    (arn): arn is string => typeof arn === "string" && arn !== "",
  );
}

export class EcsTaskDefinitionUsage implements TaskDefinitionUsage {
  constructor(private readonly ecs: ECSClient) {}

  async inUse(): Promise<Map<string, string>> {
    const used = new Map<string, string>();
    for (const cluster of await this.listClusters()) {
      const serviceArns = await this.listServices(cluster);
      for (let i = 0; i < serviceArns.length; i += describeBatch) {
        const batch = serviceArns.slice(i, i + describeBatch);
        const out = await callAws("DescribeServices", cluster, () => this.ecs.send(new DescribeServicesCommand({ cluster, services: batch })));
        for (const service of out.services ?? []) {
          const name = `service ${service.serviceName ?? "?"} in ${cluster.replace(/^.*cluster\//, "")} runs it`;
          for (const arn of revisionsUsedBy(service)) if (!used.has(arn)) used.set(arn, name);
        }
      }
    }
    return used;
  }

  private listClusters(): Promise<string[]> {
    return callAws("ListClusters", "(every cluster of the region)", async () => {
      const arns: string[] = [];
      for await (const page of paginateListClusters({ client: this.ecs, pageSize: 100 }, {})) arns.push(...(page.clusterArns ?? []));
      return arns;
    });
  }

  private listServices(cluster: string): Promise<string[]> {
    return callAws("ListServices", cluster, async () => {
      const arns: string[] = [];
      for await (const page of paginateListServices({ client: this.ecs, pageSize: 100 }, { cluster })) arns.push(...(page.serviceArns ?? []));
      return arns;
    });
  }
}
