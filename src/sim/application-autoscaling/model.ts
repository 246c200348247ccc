import type { ScalableDimension, ServiceNamespace } from "@aws-sdk/client-application-auto-scaling";
import { AwsError } from "../aws-error.js";

/**
 * The constraints Application Auto Scaling's model puts on request members (enums, string lengths, list sizes),
 * checked before anything else as AWS's request validation does. Each check adds to `violations` the sentence
 * AWS's validation prints; errors.ts numbers them. Enum values are listed in the model's order.
 */
export const serviceNamespaces = [
  "ecs",
  "elasticmapreduce",
  "ec2",
  "appstream",
  "dynamodb",
  "rds",
  "sagemaker",
  "custom-resource",
  "comprehend",
  "lambda",
  "cassandra",
  "kafka",
  "elasticache",
  "neptune",
  "workspaces",
] as const satisfies readonly ServiceNamespace[];

export const scalableDimensions = [
  "ecs:service:DesiredCount",
  "ec2:spot-fleet-request:TargetCapacity",
  "elasticmapreduce:instancegroup:InstanceCount",
  "appstream:fleet:DesiredCapacity",
  "dynamodb:table:ReadCapacityUnits",
  "dynamodb:table:WriteCapacityUnits",
  "dynamodb:index:ReadCapacityUnits",
  "dynamodb:index:WriteCapacityUnits",
  "rds:cluster:ReadReplicaCount",
  "sagemaker:variant:DesiredInstanceCount",
  "custom-resource:ResourceType:Property",
  "comprehend:document-classifier-endpoint:DesiredInferenceUnits",
  "comprehend:entity-recognizer-endpoint:DesiredInferenceUnits",
  "lambda:function:ProvisionedConcurrency",
  "cassandra:table:ReadCapacityUnits",
  "cassandra:table:WriteCapacityUnits",
  "kafka:broker-storage:VolumeSize",
  "elasticache:replication-group:NodeGroups",
  "elasticache:replication-group:Replicas",
  "neptune:cluster:ReadReplicaCount",
  "sagemaker:variant:DesiredProvisionedConcurrency",
  "sagemaker:inference-component:DesiredCopyCount",
  "workspaces:workspacespool:DesiredUserSessions",
] as const satisfies readonly ScalableDimension[];

/** ResourceIdMaxLen1600: resource ids and role ARNs. */
const MAX_ID_LENGTH = 1600;
/** ResourceIdsMaxLen1600 holds at most 50. */
const MAX_RESOURCE_IDS = 50;

const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** A required member: present, or "Value null ... must not be null". */
export function required(violations: string[], member: string, value: unknown): boolean {
  if (value !== undefined && value !== null) return true;
  violations.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return false;
}

export function oneOf<T extends string>(violations: string[], member: string, value: unknown, allowed: readonly T[]): value is T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return true;
  violations.push(`Value '${shown(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`);
  return false;
}

export function idLength(violations: string[], member: string, value: unknown): value is string {
  if (typeof value !== "string") throw new AwsError("SerializationException", `${member} must be a string`);
  if (value.length < 1) violations.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  else if (value.length > MAX_ID_LENGTH) violations.push(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ID_LENGTH}`);
  else return true;
  return false;
}

export function idList(violations: string[], member: string, value: unknown): value is string[] {
  if (!Array.isArray(value)) throw new AwsError("SerializationException", `${member} must be a list of strings`);
  if (value.length > MAX_RESOURCE_IDS) {
    violations.push(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RESOURCE_IDS}`);
    return false;
  }
  return value.every((id, i) => idLength(violations, `${member}.${i + 1}.member`, id));
}

/** ResourceCapacity is an integer; a JSON value that is not one never reaches validation (AWS cannot read it). */
export function capacity(member: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new AwsError("SerializationException", `${member} must be an integer`);
  return value;
}
