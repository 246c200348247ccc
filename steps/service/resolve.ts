import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from "@aws-sdk/client-ecs";
import { InputError, NotFoundError } from "../../src/errors.js";
import type { Target } from "../../targets/target.js";
import { diffDefinitions } from "../task-definition/diff.js";
import { normalise } from "../task-definition/normalise.js";
import type { PlannedTaskDefinition } from "../task-definition/output.js";
import type { ServiceSettings } from "./input.js";
import type { ServicePorts } from "./ports.js";
import { revisionLabel, type DesiredService, type LoadBalancerBinding } from "./state.js";

/**
 * Where the revision to deploy comes from, strongest first: the command line, the step file, the task definition
 * step's output — or, in a release's dry run, what its task definition step would hand on.
 */
export interface TaskDefinitionChoice {
  override?: string;
  previous?: { taskDefinitionArn: string };
  planned?: PlannedTaskDefinition;
}

/** The revision to deploy and its content (as registered, or as a dry run would register it). */
export interface DesiredDefinition {
  arn: string;
  definition: TaskDefinition | RegisterTaskDefinitionCommandInput;
}

/** How a dry run names a revision not registered yet: ECS numbers it only when it is. */
export const plannedRevisionArn = (family: string) => `task-definition/${family}:(new)`;

function taskDefinitionRef(settings: ServiceSettings, choice: TaskDefinitionChoice): string {
  const ref = choice.override ?? settings.taskDefinition ?? choice.previous?.taskDefinitionArn;
  if (ref) return ref;
  throw new InputError(
    `The service step for ${settings.service} names no task definition to deploy.`,
    "Add taskDefinition: shop-web:12 (or a family, or an ARN) to the step, run it after the task definition step, or pass --task-definition family:revision.",
  );
}

/** The target groups the step binds; undefined when it binds none, so the service keeps the ones it has. */
async function loadBalancers(settings: ServiceSettings, target: Target, ports: ServicePorts): Promise<LoadBalancerBinding[] | undefined> {
  if (!settings.loadBalancer && !settings.loadBalancers) return undefined;
  return [...(await primaryBinding(settings, target, ports)), ...(settings.loadBalancers ?? [])];
}

async function primaryBinding(settings: ServiceSettings, target: Target, ports: ServicePorts): Promise<LoadBalancerBinding[]> {
  if (!settings.loadBalancer) return [];
  const group = target.loadBalancer?.targetGroups.primary;
  if (!group) {
    throw new InputError(
      `The service step binds ${settings.service} to a load balancer, but the ${target.environment} target has no loadBalancer.`,
      `Add loadBalancer: { listener: …, targetGroups: { primary: …, canary: … } } to the ${target.environment} target in targets.yaml, or remove loadBalancer: from the step.`,
    );
  }
  return [{ targetGroupArn: await ports.targetGroups.arnOf(group), containerName: settings.loadBalancer.containerName, containerPort: settings.loadBalancer.containerPort }];
}

/** The step's settings for this environment with the task definition and target group resolved to ARNs. */
export async function resolveDesired(settings: ServiceSettings, target: Target, ports: ServicePorts, choice: TaskDefinitionChoice): Promise<{ desired: DesiredService; definition: DesiredDefinition }> {
  const definition = choice.planned && choice.override === undefined ? plannedDefinition(choice.planned) : await describedDefinition(taskDefinitionRef(settings, choice), target, ports);
  const arn = definition.arn;
  const bindings = await loadBalancers(settings, target, ports);
  const desired: DesiredService = {
    cluster: target.cluster,
    serviceName: settings.service,
    taskDefinitionArn: arn,
    desiredCount: settings.desiredCount,
    schedulingStrategy: settings.schedulingStrategy,
    ...(settings.launchType && { launchType: settings.launchType }),
    ...(settings.network && { network: settings.network }),
    ...(bindings && { loadBalancers: bindings }),
    deployment: settings.deployment,
    ...(settings.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: settings.healthCheckGracePeriodSeconds }),
    forceNewDeployment: settings.forceNewDeployment,
    definition: settings.definition,
    tags: settings.tags,
  };
  return { desired, definition };
}

function plannedDefinition(planned: PlannedTaskDefinition): DesiredDefinition {
  return { arn: planned.reuse ?? plannedRevisionArn(planned.family), definition: planned.definition };
}

async function describedDefinition(ref: string, target: Target, ports: ServicePorts): Promise<DesiredDefinition> {
  const described = await ports.taskDefinitions.describe(ref);
  const arn = described?.taskDefinition.taskDefinitionArn;
  if (!arn) throw new NotFoundError(`The task definition "${ref}" was not found in the ${target.environment} target's account and region.`, "Check the family and revision (slipway taskdef register prints them), or register it first.");
  if (described.taskDefinition.status === "INACTIVE") {
    throw new InputError(`The task definition ${revisionLabel(arn)} is deregistered (INACTIVE); ECS will not start new tasks from it.`, "Deploy an ACTIVE revision: register the definition again with slipway taskdef register.");
  }
  return { arn, definition: described.taskDefinition };
}

/** How the running revision's content differs from the one to deploy: read only when they are different revisions. */
export async function taskDefinitionDiff(ports: ServicePorts, currentArn: string | undefined, desired: DesiredDefinition): Promise<string[]> {
  const desiredArn = desired.arn;
  if (currentArn === desiredArn) return [];
  const current = currentArn ? await ports.taskDefinitions.describe(currentArn) : undefined;
  return diffDefinitions(
    { label: currentArn ? `${revisionLabel(currentArn)} (running)` : "(no service yet)", ...(current && { definition: normalise(current.taskDefinition) }) },
    { label: `${revisionLabel(desiredArn)} (to deploy)`, definition: normalise(desired.definition) },
  );
}
