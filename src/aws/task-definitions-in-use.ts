import { DescribeServicesCommand, paginateListServices, type ECSClient, type Service } from "@aws-sdk/client-ecs";
import { NotFoundError } from "../errors.js";
import { awsErrorName, callAws } from "./call.js";

/**
 * Which task definition revisions a cluster's services still use: what retention must not deregister.
 * A service uses the revision it is set to, every revision a deployment of it still runs (a rolling update
 * in progress runs two), and each task set's revision (externally managed services).
 */
export interface TaskDefinitionUsage {
  /** ARNs of every revision some service in the cluster uses. */
  inUse(cluster: string): Promise<Set<string>>;
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

  async inUse(cluster: string): Promise<Set<string>> {
    const serviceArns = await this.listServices(cluster);
    const used = new Set<string>();
    for (let i = 0; i < serviceArns.length; i += describeBatch) {
      const batch = serviceArns.slice(i, i + describeBatch);
      const out = await callAws("DescribeServices", cluster, () => this.ecs.send(new DescribeServicesCommand({ cluster, services: batch })));
      for (const service of out.services ?? []) for (const arn of revisionsUsedBy(service)) used.add(arn);
    }
    return used;
  }

  private async listServices(cluster: string): Promise<string[]> {
    try {
      return await callAws("ListServices", cluster, async () => {
        const arns: string[] = [];
        for await (const page of paginateListServices({ client: this.ecs, pageSize: 100 }, { cluster })) arns.push(...(page.serviceArns ?? []));
        return arns;
      });
    } catch (error) {
      // Without the cluster nothing can be known about what is in use, so retention must not guess "nothing".
      if (awsErrorName(error) === "ClusterNotFoundException") {
        throw new NotFoundError(`The ECS cluster "${cluster}" was not found, so slipway cannot tell which revisions are in use.`, "Check the target's cluster, or create the cluster before deploying to it.");
      }
      throw error;
    }
  }
}
