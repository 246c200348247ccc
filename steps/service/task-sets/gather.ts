import type { Service } from "@aws-sdk/client-ecs";
import type { ServiceScaling } from "../../../src/aws/scalable-targets.js";
import { ConflictError, InputError } from "../../../src/errors.js";
import type { Target } from "../../../targets/target.js";
import { resolveVerificationListener } from "../../verification/resolve.js";
import { ownerValue, tagKeys } from "../../verification/identity.js";
import { fieldRules, observedDefinition, pickDefinition, type DefinitionField, type ServiceDefinition } from "../definition.js";
import { definitionChanges } from "../definition-diff.js";
import type { ServiceSettings } from "../input.js";
import { tagsToAdd } from "../service-tags.js";
import type { DeploymentFacts } from "./facts.js";
import type { TaskSetPorts } from "./ports.js";
import type { Strategy } from "./stages.js";
import { observeTaskSet } from "./world.js";

/** Who manages an existing service's desired count, when slipway must leave it alone. */
function managerOfCount(scaling: ServiceScaling): string | undefined {
  if (scaling.kind === "registered") return `Application Auto Scaling (${scaling.minCapacity}–${scaling.maxCapacity})`;
  if (scaling.kind === "unknown") return `whoever scales it: whether Application Auto Scaling does could not be read (${scaling.reason})`;
  return undefined;
}

/** The step's members that belong `on` the service or on its task sets, under an EXTERNAL controller. */
function membersOn(definition: ServiceDefinition, on: "service" | "task-set"): ServiceDefinition {
  const picked = Object.entries(definition).filter(([field]) => {
    const rule = fieldRules[field as DefinitionField].taskSets;
    return "on" in rule && rule.on === on;
  });
  return Object.fromEntries(picked) as ServiceDefinition;
}

/** The service-level members an existing service has otherwise than the step says. */
function serviceChanges(wanted: ServiceDefinition, service: Service): ServiceDefinition {
  return Object.fromEntries(definitionChanges(wanted, observedDefinition(service)).map((c) => [c.field, c.to])) as ServiceDefinition;
}

export interface GatherInput {
  deploymentId: string;
  release?: string;
  strategy: Strategy;
  settings: ServiceSettings;
  target: Target;
  newTaskDefinition: string;
  /** The service as described before anything was written; undefined when it does not exist yet. */
  service: Service | undefined;
}

/**
 * Reads what the deployment will rely on, before its first write: which target group is live (where the primary
 * task set is — blue/green alternates them), the revision to return to, and every rule routing to the service.
 */
export async function gatherFacts(input: GatherInput, ports: TaskSetPorts, now: Date): Promise<DeploymentFacts> {
  const { settings, target } = input;
  if (!settings.loadBalancer) {
    throw new InputError(`mode: ${input.strategy} routes traffic between target groups, but the step for ${settings.service} has no loadBalancer.`, "Add loadBalancer: { containerName: web, containerPort: 8080 } to the step.");
  }
  const listener = await resolveVerificationListener(target, "canary", ports.rules);
  const [primaryGroup = "", canaryGroup = ""] = listener.serviceTargetGroupArns;
  const primary = (input.service?.taskSets ?? []).map(observeTaskSet).find((s) => s.status === "PRIMARY");
  let liveGroup = primaryGroup;
  if (primary) {
    if (primary.targetGroup !== primaryGroup && primary.targetGroup !== canaryGroup) {
      throw new ConflictError(
        `The primary task set of ${settings.service} serves ${primary.targetGroup ?? "no target group"}, which is neither of the ${target.environment} target's target groups.`,
        "Point the target's loadBalancer.targetGroups at the groups the service uses, or move the service onto them first.",
      );
    }
    liveGroup = primary.targetGroup;
  }
  const otherGroup = liveGroup === primaryGroup ? canaryGroup : primaryGroup;
  const scaling: ServiceScaling = input.service ? await ports.scaling.ofService(target.cluster, settings.service) : { kind: "none" };
  const countManagedBy = managerOfCount(scaling);
  // Scale-in someone else suspended stays theirs: slipway neither suspends it again nor resumes it after.
  const suspendScaleIn = settings.suspendScaleIn && scaling.kind === "registered" && !scaling.suspended.scaleIn;
  const found = await ports.weights.forwardingTo([liveGroup, otherGroup]);
  // Verification rules only carry testers' requests: production weights are never written on them.
  const rules = found.filter((r) => r.tags[tagKeys.owner] !== ownerValue).map(({ arn, listenerArn, isDefault }) => ({ arn, listenerArn, isDefault }));
  if (rules.length === 0) {
    throw new ConflictError(
      `No listener rule or default action forwards to ${settings.service}'s target groups, so a ${input.strategy} deployment would have no traffic to move.`,
      "Add a rule (or a default action) forwarding to the target's primary target group, with the canary group at weight 0, then deploy again.",
    );
  }
  return {
    deploymentId: input.deploymentId,
    environment: target.environment,
    ...(input.release !== undefined && { release: input.release }),
    strategy: input.strategy,
    cluster: target.cluster,
    service: settings.service,
    newTaskDefinition: input.newTaskDefinition,
    // Task sets are sized from the service's count: the live one when Application Auto Scaling has set it.
    desiredCount: countManagedBy !== undefined ? (input.service?.desiredCount ?? settings.desiredCount) : settings.desiredCount,
    ...(countManagedBy !== undefined && { countManagedBy }),
    ...(suspendScaleIn && { suspendScaleIn: true as const }),
    container: { name: settings.loadBalancer.containerName, port: settings.loadBalancer.containerPort },
    ...(settings.launchType && { launchType: settings.launchType }),
    ...(settings.network && { network: settings.network }),
    ...definitionFacts(settings, input.service),
    targetGroups: { live: liveGroup, other: otherGroup },
    ...(primary && { previous: { taskSetId: primary.id, taskDefinition: primary.taskDefinition } }),
    rules,
    listenerArn: listener.listenerArn,
    startedAt: now.toISOString(),
  };
}

/** The step's own members, split between the service and its task sets; for an existing service, what differs. */
function definitionFacts(settings: ServiceSettings, service: Service | undefined): Partial<DeploymentFacts> {
  const onTaskSets = membersOn(settings.definition, "task-set");
  const onService = membersOn(settings.definition, "service");
  const changes = service ? serviceChanges(onService, service) : {};
  const tags = service ? tagsToAdd(settings.tags, service.tags) : settings.tags;
  const primary = service?.taskSets?.find((t) => t.status === "PRIMARY");
  const setChanges = primary ? [...definitionChanges(onTaskSets, pickDefinition(primary)).map((c) => c.field), ...(settings.launchType !== undefined && primary.launchType !== settings.launchType ? ["launchType"] : [])] : [];
  return {
    ...(setChanges.length > 0 && { taskSetChanges: setChanges }),
    ...(Object.keys(onTaskSets).length > 0 && { taskSetDefinition: onTaskSets }),
    ...(Object.keys(onService).length > 0 && { serviceDefinition: onService }),
    ...(Object.keys(changes).length > 0 && { serviceChanges: changes }),
    ...(tags.length > 0 && { tags }),
  };
}
