import type { Attribute, Compatibility, ContainerDefinition, RegisterTaskDefinitionRequest, TaskDefinition } from "@aws-sdk/client-ecs";
import { clientException } from "../aws-error.js";
import { HEALTH_CHECK_LIMITS } from "./container-health.js";
import { isFargateSize, parseTaskCpu, parseTaskMemory } from "./fargate-sizes.js";

/**
 * RegisterTaskDefinition's checks, in AWS's words where known, and the description it answers with. AWS
 * refuses a bad definition with ClientException; the checks here are the ones a deployment tool trips over.
 */
const namePattern = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * A container's health check: a command, and each setting within AWS's range (AWS: HealthCheck in the model — interval
 * 5–300, timeout 2–60, retries 1–10, startPeriod 0–300). [unconfirmed wording] The messages are the simulator's,
 * in the shape of AWS's other container setting errors.
 */
function validateHealthCheck(container: ContainerDefinition): void {
  const check = container.healthCheck;
  if (!check) return;
  const invalid = (what: string) => clientException(`Invalid 'healthCheck' setting for container '${container.name ?? ""}'. ${what}`);
  if (!check.command || check.command.length === 0) throw invalid("'command' should not be null or empty.");
  for (const [key, limits] of Object.entries(HEALTH_CHECK_LIMITS)) {
    const value = check[key as keyof typeof HEALTH_CHECK_LIMITS];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || value < limits.min || value > limits.max) throw invalid(`'${key}' must be between ${limits.min} and ${limits.max}.`);
  }
}

function validateContainers(containers: ContainerDefinition[] | undefined, taskMemory: number | undefined): ContainerDefinition[] {
  if (!containers || containers.length === 0) throw clientException("Container list cannot be empty.");
  const seen = new Set<string>();
  for (const container of containers) {
    if (!container.name) throw clientException("Container.name should not be null or empty.");
    if (!namePattern.test(container.name)) {
      throw clientException(`Invalid container name '${container.name}': up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`);
    }
    if (!container.image) throw clientException("Container.image should not be null or empty.");
    if (seen.has(container.name)) throw clientException(`Duplicate container name '${container.name}' in the task definition.`);
    seen.add(container.name);
    if (taskMemory === undefined && container.memory === undefined && container.memoryReservation === undefined) {
      throw clientException(`Invalid setting for container '${container.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
    if (container.memory !== undefined && container.memoryReservation !== undefined && container.memoryReservation > container.memory) {
      throw clientException(`Invalid setting for container '${container.name}'. 'memoryReservation' must be less than or equal to 'memory'.`);
    }
    validateHealthCheck(container);
  }
  return containers;
}

function taskSize(input: RegisterTaskDefinitionRequest): { cpu?: number; memory?: number } {
  const cpu = input.cpu === undefined ? undefined : parseTaskCpu(input.cpu);
  if (input.cpu !== undefined && cpu === undefined) throw clientException("Invalid 'cpu' setting for task.");
  const memory = input.memory === undefined ? undefined : parseTaskMemory(input.memory);
  if (input.memory !== undefined && memory === undefined) throw clientException("Invalid 'memory' setting for task.");
  return { ...(cpu !== undefined && { cpu }), ...(memory !== undefined && { memory }) };
}

function validateFargate(input: RegisterTaskDefinitionRequest, size: { cpu?: number; memory?: number }): void {
  if (input.networkMode !== "awsvpc") throw clientException("Fargate only supports network mode 'awsvpc'.");
  if (size.cpu === undefined) throw clientException("Fargate requires that 'cpu' be defined at the task level.");
  if (size.memory === undefined) throw clientException("Fargate requires that 'memory' be defined at the task level.");
  if (!isFargateSize(size.cpu, size.memory)) {
    throw clientException(`No Fargate configuration exists for given values: ${size.cpu} CPU, ${size.memory} memory. See the Amazon ECS documentation for the valid values.`);
  }
  const usesAwsLogs = (input.containerDefinitions ?? []).some((c) => c.logConfiguration?.logDriver === "awslogs");
  if (usesAwsLogs && !input.executionRoleArn) throw clientException("Fargate requires task definition to have execution role ARN to support log driver awslogs.");
}

/** The launch types the definition can run on, which AWS works out and reports as `compatibilities`. */
function compatibilitiesOf(input: RegisterTaskDefinitionRequest, size: { cpu?: number; memory?: number }): Compatibility[] {
  const out: Compatibility[] = ["EC2"];
  const fargateReady = input.networkMode === "awsvpc" && size.cpu !== undefined && size.memory !== undefined && isFargateSize(size.cpu, size.memory);
  if (fargateReady) out.push("FARGATE");
  return out;
}

/** An ECR image: "<account>.dkr.ecr.<region>.amazonaws.com/<repository>…". */
const ecrImage = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/**
 * requiresAttributes: the container-instance attributes ECS derives from what the definition uses. A subset of the
 * attributes the Developer Guide lists (container instance attributes, and the ones named where each feature is
 * documented), chosen for what deployment tools' task definitions use:
 * - com.amazonaws.ecs.capability.docker-remote-api.1.18: every definition (the oldest Docker API ECS names);
 * - ecs.capability.task-eni: the awsvpc network mode;
 * - com.amazonaws.ecs.capability.task-iam-role: a task role;
 * - com.amazonaws.ecs.capability.logging-driver.awslogs and docker-remote-api.1.19: a container logging to awslogs;
 *   ecs.capability.execution-role-awslogs when there is an execution role too;
 * - com.amazonaws.ecs.capability.ecr-auth: an image in ECR; ecs.capability.execution-role-ecr-pull when there is an
 *   execution role too;
 * - ecs.capability.secrets.asm.environment-variables / ecs.capability.secrets.ssm.environment-variables: secrets from
 *   Secrets Manager (a secretsmanager ARN) / from Parameter Store (anything else);
 * - ecs.capability.container-health-check and docker-remote-api.1.24: a container health check.
 * Others AWS derives (EFS, FireLens, GPUs, private registry auth, …) are not reported.
 */
function requiresAttributesOf(input: RegisterTaskDefinitionRequest, containers: ContainerDefinition[]): Attribute[] {
  const names = new Set<string>(["com.amazonaws.ecs.capability.docker-remote-api.1.18"]);
  const execution = Boolean(input.executionRoleArn);
  if (input.networkMode === "awsvpc") names.add("ecs.capability.task-eni");
  if (input.taskRoleArn) names.add("com.amazonaws.ecs.capability.task-iam-role");
  for (const c of containers) {
    if (c.logConfiguration?.logDriver === "awslogs") {
      names.add("com.amazonaws.ecs.capability.logging-driver.awslogs").add("com.amazonaws.ecs.capability.docker-remote-api.1.19");
      if (execution) names.add("ecs.capability.execution-role-awslogs");
    }
    if (c.image && ecrImage.test(c.image)) {
      names.add("com.amazonaws.ecs.capability.ecr-auth");
      if (execution) names.add("ecs.capability.execution-role-ecr-pull");
    }
    for (const secret of c.secrets ?? []) {
      const fromAsm = (secret.valueFrom ?? "").startsWith("arn:") && (secret.valueFrom ?? "").split(":")[2] === "secretsmanager";
      names.add(fromAsm ? "ecs.capability.secrets.asm.environment-variables" : "ecs.capability.secrets.ssm.environment-variables");
    }
    if (c.healthCheck) names.add("ecs.capability.container-health-check").add("com.amazonaws.ecs.capability.docker-remote-api.1.24");
  }
  return [...names].map((name) => ({ name }));
}

/** Containers as AWS echoes them: essential by default, and awsvpc host ports equal to container ports. */
function normaliseContainer(container: ContainerDefinition, networkMode: string): ContainerDefinition {
  return {
    ...container,
    essential: container.essential ?? true,
    cpu: container.cpu ?? 0,
    portMappings: (container.portMappings ?? []).map((p) => ({
      ...p,
      protocol: p.protocol ?? "tcp",
      ...(networkMode === "awsvpc" && p.containerPort !== undefined && { hostPort: p.hostPort ?? p.containerPort }),
    })),
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
  };
}

export function validateFamily(family: string | undefined): string {
  if (!family) throw clientException("Family should not be null or empty.");
  if (!namePattern.test(family)) {
    throw clientException(`Invalid family name '${family}': up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.`);
  }
  return family;
}

export interface NewRevision {
  arn: string;
  revision: number;
  registeredAt: Date;
  registeredBy: string;
}

/** Checks the request and builds the stored description of the new revision. */
export function buildTaskDefinition(input: RegisterTaskDefinitionRequest, next: NewRevision): TaskDefinition {
  const family = validateFamily(input.family);
  const size = taskSize(input);
  const containers = validateContainers(input.containerDefinitions, size.memory);
  if ((input.requiresCompatibilities ?? []).includes("FARGATE")) validateFargate(input, size);
  const networkMode = input.networkMode ?? "bridge";
  return {
    taskDefinitionArn: next.arn,
    containerDefinitions: containers.map((c) => normaliseContainer(c, networkMode)),
    family,
    ...(input.taskRoleArn && { taskRoleArn: input.taskRoleArn }),
    ...(input.executionRoleArn && { executionRoleArn: input.executionRoleArn }),
    networkMode,
    revision: next.revision,
    volumes: input.volumes ?? [],
    status: "ACTIVE",
    placementConstraints: input.placementConstraints ?? [],
    requiresAttributes: requiresAttributesOf(input, containers),
    compatibilities: compatibilitiesOf(input, size),
    ...(input.runtimePlatform && { runtimePlatform: input.runtimePlatform }),
    ...(input.requiresCompatibilities && { requiresCompatibilities: input.requiresCompatibilities }),
    // AWS stores task-level sizes as plain numbers in strings, whatever unit the request used.
    ...(size.cpu !== undefined && { cpu: String(size.cpu) }),
    ...(size.memory !== undefined && { memory: String(size.memory) }),
    ...(input.pidMode && { pidMode: input.pidMode }),
    ...(input.ipcMode && { ipcMode: input.ipcMode }),
    ...(input.proxyConfiguration && { proxyConfiguration: input.proxyConfiguration }),
    ...(input.ephemeralStorage && { ephemeralStorage: input.ephemeralStorage }),
    registeredAt: next.registeredAt,
    registeredBy: next.registeredBy,
  };
}
