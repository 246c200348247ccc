import { ownEntry } from "./own.js";
import type { BucketSpec } from "./throttle.js";

/**
 * Which token bucket an operation draws from. ECS groups its actions into buckets with a burst (capacity) and
 * a sustained rate (refill); ECR and ELBv2 are throttled too, less tightly; Secrets Manager and Parameter Store
 * by their own published quotas.
 */
const ecsBuckets: Record<string, { ops: string[]; spec: BucketSpec }> = {
  "cluster-read": { ops: ["DescribeClusters", "ListClusters"], spec: { capacity: 50, refillPerSecond: 20 } },
  "cluster-modify": { ops: ["CreateCluster", "DeleteCluster", "UpdateCluster", "PutClusterCapacityProviders"], spec: { capacity: 20, refillPerSecond: 1 } },
  "service-read": { ops: ["DescribeServices", "ListServices", "ListServicesByNamespace", "DescribeTaskSets", "ListServiceDeployments", "DescribeServiceDeployments", "DescribeServiceRevisions"], spec: { capacity: 100, refillPerSecond: 20 } },
  "service-modify": { ops: ["CreateService", "UpdateService", "DeleteService", "CreateTaskSet", "UpdateTaskSet", "DeleteTaskSet", "UpdateServicePrimaryTaskSet", "ContinueServiceDeployment", "StopServiceDeployment"], spec: { capacity: 50, refillPerSecond: 5 } },
  "task-read": { ops: ["DescribeTasks", "ListTasks"], spec: { capacity: 100, refillPerSecond: 20 } },
  // Launching standalone tasks: a burst of 100 and 20 a second, the figures of Fargate's task launch rate as
  // remembered (not checked against AWS's throttling table here).
  "task-launch": { ops: ["RunTask"], spec: { capacity: 100, refillPerSecond: 20 } },
  "taskdef-read": { ops: ["DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies"], spec: { capacity: 100, refillPerSecond: 20 } },
  "taskdef-modify": { ops: ["RegisterTaskDefinition", "DeregisterTaskDefinition", "DeleteTaskDefinitions"], spec: { capacity: 20, refillPerSecond: 1 } },
  "resource-tags": { ops: ["TagResource", "UntagResource", "ListTagsForResource"], spec: { capacity: 100, refillPerSecond: 20 } },
};

const ecsIndex = new Map<string, { bucket: string; spec: BucketSpec }>();
for (const [bucket, { ops, spec }] of Object.entries(ecsBuckets)) for (const op of ops) ecsIndex.set(op, { bucket, spec });

/**
 * ECR: reads and writes each draw from a bucket of their own, of the same size. A read is what its verb says:
 * Describe*, List*, BatchGet* and Get* (GetAuthorizationToken, GetLifecyclePolicy); everything else writes.
 */
const ecrReadVerbs = ["Describe", "List", "BatchGet", "Get"];
const ecrRead: BucketSpec = { capacity: 200, refillPerSecond: 100 };
const elbv2All: BucketSpec = { capacity: 100, refillPerSecond: 50 };

/**
 * Secrets Manager's published per-region quotas: reads are plentiful (DescribeSecret and GetSecretValue share
 * 10,000 per second), changes are held to 50 per second per group of operations.
 */
const secretsBuckets: Record<string, { bucket: string; spec: BucketSpec }> = {
  DescribeSecret: { bucket: "read", spec: { capacity: 10_000, refillPerSecond: 10_000 } },
  GetSecretValue: { bucket: "read", spec: { capacity: 10_000, refillPerSecond: 10_000 } },
  ListSecrets: { bucket: "list", spec: { capacity: 100, refillPerSecond: 100 } },
  PutSecretValue: { bucket: "value-write", spec: { capacity: 50, refillPerSecond: 50 } },
  TagResource: { bucket: "tags", spec: { capacity: 50, refillPerSecond: 50 } },
  UntagResource: { bucket: "tags", spec: { capacity: 50, refillPerSecond: 50 } },
};
const secretsOther: BucketSpec = { capacity: 50, refillPerSecond: 50 };

/** Parameter Store's standard throughput: GetParameter, GetParameters and PutParameter share 40 per second. */
const ssmThroughput = new Set(["GetParameter", "GetParameters", "PutParameter"]);
const ssmSpec: BucketSpec = { capacity: 40, refillPerSecond: 40 };

/**
 * Application Auto Scaling publishes no per-operation rates; one shared bucket per region, as for ELBv2, is ample
 * for a deploy that reads one target per service and generous to a test that registers a few.
 */
const autoscalingAll: BucketSpec = { capacity: 50, refillPerSecond: 20 };

export function classifyForThrottling(service: string, operation: string): { bucket: string; spec: BucketSpec } | undefined {
  if (service === "ecs") return ecsIndex.get(operation) ?? { bucket: "other", spec: { capacity: 50, refillPerSecond: 20 } };
  if (service === "ecr") return { bucket: ecrReadVerbs.some((verb) => operation.startsWith(verb)) ? "read" : "write", spec: ecrRead };
  if (service === "elbv2") return { bucket: "all", spec: elbv2All };
  if (service === "secretsmanager") return ownEntry(secretsBuckets, operation) ?? { bucket: operation, spec: secretsOther };
  if (service === "ssm") return { bucket: ssmThroughput.has(operation) ? "throughput" : operation, spec: ssmSpec };
  if (service === "application-autoscaling") return { bucket: "all", spec: autoscalingAll };
  return undefined;
}
