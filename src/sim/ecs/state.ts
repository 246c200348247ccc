import type { Tag, TaskDefinition } from "@aws-sdk/client-ecs";
import type { ServiceRecord } from "./service-model.js";

/** The ECS world of one region. Each record keeps the SDK's own shapes where AWS returns them. */
export interface ClusterRecord {
  arn: string;
  name: string;
  status: "ACTIVE" | "INACTIVE";
  createdAt: Date;
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
