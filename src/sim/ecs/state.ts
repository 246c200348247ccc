import type { CapacityProviderStrategyItem, ClusterConfiguration, ClusterSetting, Tag, TaskDefinition } from "@aws-sdk/client-ecs";
import type { ServiceRecord, TaskRecord } from "./service-model.js";

/** The ECS world of one region. Each record keeps the SDK's own shapes where AWS returns them. */
export interface ClusterRecord {
  arn: string;
  name: string;
  /** INACTIVE once deleted; AWS keeps describing a deleted cluster for a while, so the record stays. */
  status: "ACTIVE" | "INACTIVE";
  createdAt: Date;
  settings: ClusterSetting[];
  configuration?: ClusterConfiguration;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
  /** The Cloud Map namespace (an ARN) that Service Connect uses when a service names none. */
  serviceConnectDefaults?: { namespace: string };
}

export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  /** The description AWS returns, status and timestamps included. */
  definition: TaskDefinition;
}

export class EcsRegionState {
  readonly clusters = new Map<string, ClusterRecord>();
  /** family → revisions in order (revision n at index n-1). */
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord[]>();
  /** service ARN → service. */
  readonly services = new Map<string, ServiceRecord>();
  /** task ARN → task (kept by the service scheduler; stopped tasks stay describable for about an hour). */
  readonly tasks = new Map<string, TaskRecord>();
  /** resource ARN → tags. */
  readonly tags = new Map<string, Tag[]>();

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  arn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.account}:${resource}`;
  }
}
