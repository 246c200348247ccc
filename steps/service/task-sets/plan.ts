import type { CreateServiceCommandInput, CreateTaskSetCommandInput } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../../src/errors.js";
import { showValue } from "../definition-diff.js";
import { showTags } from "../service-tags.js";
import { revisionLabel } from "../state.js";
import type { CreateTaskSetAction, DeleteTaskSetAction, MakePrimaryAction, SetWeightsAction, TaskSetAction } from "./actions.js";
import type { DeploymentFacts } from "./facts.js";
import { clientTokenOf, externalIdOf, taskSetTags, type Role } from "./roles.js";
import { hasShare, withShare } from "./weights.js";
import { live, ownSet, primaryOf, type ObservedTaskSet, type World } from "./world.js";

/**
 * Pure plans (STYLE lesson 5): the world as observed + the recorded facts → the writes still missing for one part
 * of a stage. Each action's key starts with `at` (the stage or rollback it belongs to), so the journal tells a
 * resumed run which writes it already made; the world tells it the rest.
 */

/** AWS's limit, enforced but undocumented (seed 000): at most five task sets per service, draining ones included. */
export const maxTaskSets = 5;

const shortId = (id: string) => id.replace(/^ecs-svc\//, "");

export function createServiceInput(facts: DeploymentFacts): CreateServiceCommandInput {
  // Only what seed 001 lists belongs to an EXTERNAL service; revision, launch type, network and load balancer go on task sets.
  return {
    cluster: facts.cluster,
    serviceName: facts.service,
    desiredCount: facts.desiredCount,
    deploymentController: { type: "EXTERNAL" },
    schedulingStrategy: "REPLICA",
    clientToken: clientTokenOf(facts.deploymentId, "initial"),
    ...facts.serviceDefinition,
    tags: [...(facts.tags ?? []).filter((t) => t.key !== "slipway:environment"), { key: "slipway:environment", value: facts.environment }],
  };
}

/** An existing service's own members and tags, brought to the step's before the first task set. */
function planServiceSettings(serviceArn: string, facts: DeploymentFacts): TaskSetAction[] {
  const actions: TaskSetAction[] = [];
  if (facts.serviceChanges) {
    const what = Object.entries(facts.serviceChanges).map(([field, value]) => `${field} ${showValue(value)}`).join(", ");
    actions.push({ kind: "update-service-settings", key: "service settings", summary: `update ${facts.service}: ${what}`, params: { settings: facts.serviceChanges } });
  }
  if (facts.tags) actions.push({ kind: "tag-service", key: "service tags", summary: `tag ${facts.service}: ${showTags(facts.tags)}`, params: { serviceArn, tags: facts.tags } });
  return actions;
}

/**
 * The service itself: created when missing, its desired count set when it differs (a service-level parameter) —
 * unless someone else manages the count (Application Auto Scaling): setting it back would undo a scale-out.
 */
export function planService(world: World, facts: DeploymentFacts): TaskSetAction[] {
  if (!world.service) {
    return [{ kind: "create-service", key: "create service", summary: `create the EXTERNAL service ${facts.service} (desired count ${facts.desiredCount})`, params: { input: createServiceInput(facts) } }];
  }
  const settings = planServiceSettings(world.service.arn, facts);
  if (facts.countManagedBy === undefined && world.service.desiredCount !== facts.desiredCount) {
    return [...settings, { kind: "update-desired-count", key: `desired count ${facts.desiredCount}`, summary: `set ${facts.service}'s desired count ${world.service.desiredCount} → ${facts.desiredCount}`, params: { desiredCount: facts.desiredCount } }];
  }
  return settings;
}

function taskSetInput(facts: DeploymentFacts, role: Role, targetGroupArn: string, taskDefinition: string, scale: number): CreateTaskSetCommandInput {
  return {
    cluster: facts.cluster,
    service: facts.service,
    taskDefinition,
    ...(facts.launchType && { launchType: facts.launchType }),
    ...facts.taskSetDefinition,
    ...(facts.network && {
      networkConfiguration: { awsvpcConfiguration: { subnets: facts.network.subnets, securityGroups: facts.network.securityGroups, assignPublicIp: facts.network.assignPublicIp ? "ENABLED" : "DISABLED" } },
    }),
    loadBalancers: [{ targetGroupArn, containerName: facts.container.name, containerPort: facts.container.port }],
    scale: { unit: "PERCENT", value: scale },
    externalId: externalIdOf(facts.deploymentId, role),
    clientToken: clientTokenOf(facts.deploymentId, role),
    tags: taskSetTags(facts, role),
  };
}

/** The deployment's set in `role`: created when missing (never beyond AWS's limit), rescaled when its scale differs. */
export function planEnsureSet(world: World, facts: DeploymentFacts, at: string, want: { role: Role; targetGroup: string; taskDefinition: string; scale: number }): (CreateTaskSetAction | Extract<TaskSetAction, { kind: "scale-task-set" }>)[] {
  const found = ownSet(world, facts.deploymentId, want.role);
  if (found) {
    if (found.scale === want.scale) return [];
    return [{ kind: "scale-task-set", key: `${at}: scale ${want.role} ${want.scale}`, summary: `scale the ${want.role} task set ${shortId(found.id)} ${found.scale}% → ${want.scale}%`, params: { taskSetId: found.ref, percent: want.scale } }];
  }
  if (world.taskSets.length >= maxTaskSets) {
    throw new ConflictError(
      `${facts.service} already has ${world.taskSets.length} task sets, AWS's limit: slipway will not try to create the ${want.role} task set.`,
      "Wait for draining task sets to go, or delete stale ones (aws ecs delete-task-set), then resume the deployment.",
    );
  }
  const group = want.targetGroup === facts.targetGroups.live ? "live" : "other";
  return [
    {
      kind: "create-task-set",
      key: `${at}: create ${want.role}`,
      summary: `create the ${want.role} task set: ${revisionLabel(want.taskDefinition)} at ${want.scale}% on the ${group} target group`,
      params: { role: want.role, input: taskSetInput(facts, want.role, want.targetGroup, want.taskDefinition, want.scale) },
    },
  ];
}

/** Every gathered rule sending `percent` % of the service's traffic to the other group, the rest to the live one. */
export function planWeights(world: World, facts: DeploymentFacts, at: string, percent: number): SetWeightsAction[] {
  const actions: SetWeightsAction[] = [];
  for (const rule of facts.rules) {
    const current = world.actions[rule.arn];
    // A rule deleted since the deployment started routes nothing any more: there is nothing to move.
    if (!current || hasShare(current, facts.targetGroups, percent)) continue;
    const where = rule.isDefault ? `the default action of ${rule.listenerArn.split("/").slice(-3).join("/")}` : `rule ${rule.arn.split("/").at(-1) ?? rule.arn}`;
    actions.push({
      kind: "set-weights",
      key: `${at}: weights ${rule.arn} ${percent}`,
      summary: `route ${100 - percent}% live / ${percent}% other through ${where}`,
      params: { rule, actions: withShare(current, facts.targetGroups, percent), percent },
    });
  }
  return actions;
}

export function planMakePrimary(world: World, at: string, set: ObservedTaskSet | undefined, label: string): MakePrimaryAction[] {
  if (!set || set.status === "PRIMARY") return [];
  const current = primaryOf(world);
  return [{ kind: "make-primary", key: `${at}: primary ${set.id}`, summary: `make the ${label} task set ${shortId(set.id)} (${revisionLabel(set.taskDefinition)}) primary${current ? ` instead of ${shortId(current.id)}` : ""}`, params: { taskSetId: set.ref } }];
}

/** Deletes every task set but those in `keep` — never the primary, which AWS refuses to delete ("Primary TaskSet cannot be deleted"). */
export function planDeleteAllBut(world: World, at: string, keep: readonly (string | undefined)[], why: string): DeleteTaskSetAction[] {
  return live(world.taskSets)
    .filter((s) => !keep.includes(s.id) && s.status !== "PRIMARY")
    .map((s) => ({ kind: "delete-task-set", key: `${at}: delete ${s.id}`, summary: `delete the task set ${shortId(s.id)} (${revisionLabel(s.taskDefinition)}${s.owner ? `, ${s.owner.role}` : ""}): ${why}`, params: { taskSetId: s.ref, why } }));
}

/**
 * Task sets no deployment is using (an earlier deployment crashed and was never resumed): cleaned before this one
 * starts, traffic first — the rules go back to the live group before the sets behind the other group go.
 */
export function planStaleCleanup(world: World, facts: DeploymentFacts): TaskSetAction[] {
  const stale = live(world.taskSets).filter((s) => s.status !== "PRIMARY" && s.owner?.deploymentId !== facts.deploymentId);
  if (stale.length === 0) return [];
  const primary = primaryOf(world);
  return [...(primary ? planWeights(world, facts, "preflight", 0) : []), ...planDeleteAllBut({ ...world, taskSets: stale }, "preflight", [], "stale, left by an earlier deployment")];
}

/** The task set every rollback returns to: the one that was primary at the start, else one this deployment made for it. */
export function restoreSetOf(world: World, facts: DeploymentFacts): ObservedTaskSet | undefined {
  const original = facts.previous && live(world.taskSets).find((s) => s.id === facts.previous?.taskSetId);
  return original ?? ownSet(world, facts.deploymentId, "restore");
}
