import { createHash } from "node:crypto";
import type { CreateServiceCommandInput, DeploymentConfiguration, NetworkConfiguration, UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../../src/errors.js";
import type { Action, Plan } from "../../../src/engine/plan.js";
import { definitionChanges, showValue } from "../definition-diff.js";
import type { PlanFacts } from "../mode.js";
import { revisionLabel, type DesiredService, type LoadBalancerBinding, type ObservedService } from "../state.js";
import type { DeploymentAlarms, NetworkSettings } from "../input.js";
import { showTags, tagsToAdd, type TagServiceAction } from "../service-tags.js";
import { capacityChange } from "./capacity.js";

export type CreateServiceAction = Action<"create-service", { input: CreateServiceCommandInput }>;
export type UpdateServiceAction = Action<"update-service", { input: UpdateServiceCommandInput }>;
export type RollingAction = CreateServiceAction | UpdateServiceAction | TagServiceAction;

function networkConfiguration(network: NetworkSettings | undefined): NetworkConfiguration | undefined {
  if (!network) return undefined;
  return { awsvpcConfiguration: { subnets: network.subnets, securityGroups: network.securityGroups, assignPublicIp: network.assignPublicIp ? "ENABLED" : "DISABLED" } };
}

/**
 * The step's deployment configuration. UpdateService replaces the whole structure, so what the step does not write
 * — alarms it leaves out, the breaker's tuning (resetOnHealthyTask, thresholdConfiguration) — is sent back as the
 * service has it. Under an ecs-* mode the strategy's members go too and the breaker is off (ECS's breaker is for
 * rolling updates only); a service leaving a native strategy is told ROLLING and loses its hooks, since members
 * UpdateService is not sent are kept.
 */
function deploymentConfiguration(desired: DesiredService, current?: DeploymentConfiguration): DeploymentConfiguration {
  const { minimumHealthyPercent, maximumPercent, circuitBreaker } = desired.deployment;
  const kept = current?.deploymentCircuitBreaker;
  const alarms = desired.deployment.alarms ?? current?.alarms;
  const base = { minimumHealthyPercent, maximumPercent, ...(alarms && { alarms }) };
  const native = desired.native;
  if (native) {
    return {
      ...base,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      strategy: native.strategy,
      bakeTimeInMinutes: native.bakeTimeInMinutes,
      ...(native.linearConfiguration && { linearConfiguration: native.linearConfiguration }),
      ...(native.canaryConfiguration && { canaryConfiguration: native.canaryConfiguration }),
      lifecycleHooks: native.lifecycleHooks,
    };
  }
  const tuning = { ...(kept?.resetOnHealthyTask !== undefined && { resetOnHealthyTask: kept.resetOnHealthyTask }), ...(kept?.thresholdConfiguration && { thresholdConfiguration: kept.thresholdConfiguration }) };
  const leaving = strategyOf(current) !== "ROLLING";
  return { ...base, deploymentCircuitBreaker: { ...tuning, enable: circuitBreaker.enable, rollback: circuitBreaker.rollback }, ...(leaving && { strategy: "ROLLING", lifecycleHooks: [] }) };
}

/** The strategy a service deploys with: ROLLING unless it says otherwise. */
export const strategyOf = (config: DeploymentConfiguration | undefined): string => config?.strategy ?? "ROLLING";

/** The strategy and its members, comparable: the service's as described and the step's. */
function strategyKey(config: DeploymentConfiguration | undefined): string {
  const strategy = strategyOf(config);
  if (strategy === "ROLLING") return "ROLLING";
  const hooks = (config?.lifecycleHooks ?? []).map((h) => [h.targetType ?? "AWS_LAMBDA", [...(h.lifecycleStages ?? [])].sort().join(","), h.timeoutConfiguration?.timeoutInMinutes ?? 1440, h.timeoutConfiguration?.action ?? "ROLLBACK", h.hookTargetArn ?? ""].join(" ")).sort();
  const linear = config?.linearConfiguration;
  const canary = config?.canaryConfiguration;
  return JSON.stringify([strategy, config?.bakeTimeInMinutes ?? null, linear ? [linear.stepPercent, linear.stepBakeTimeInMinutes] : null, canary ? [canary.canaryPercent, canary.canaryBakeTimeInMinutes] : null, hooks]);
}

const desiredStrategyKey = (desired: DesiredService) => strategyKey(desired.native ? deploymentConfiguration(desired) : undefined);

/** Whether the service's deployment configuration is the step's: alarms count only when the step sets them. */
function sameDeployment(current: DesiredService["deployment"], desired: DesiredService["deployment"]): boolean {
  const comparable = (d: DesiredService["deployment"], withAlarms: boolean) => JSON.stringify([d.minimumHealthyPercent, d.maximumPercent, d.circuitBreaker.enable, d.circuitBreaker.rollback, withAlarms ? [[...(d.alarms?.alarmNames ?? [])].sort(), d.alarms?.enable ?? false, d.alarms?.rollback ?? false] : null]);
  return comparable(current, desired.alarms !== undefined) === comparable(desired, desired.alarms !== undefined);
}

function sameNetwork(a: NetworkSettings | undefined, b: NetworkSettings | undefined): boolean {
  const key = (n: NetworkSettings | undefined) => (n ? JSON.stringify([[...n.subnets].sort(), [...n.securityGroups].sort(), n.assignPublicIp]) : "none");
  return key(a) === key(b);
}

function sameLoadBalancers(a: LoadBalancerBinding[], b: LoadBalancerBinding[]): boolean {
  const advanced = (l: LoadBalancerBinding) => {
    const c = l.advancedConfiguration;
    return c ? [c.alternateTargetGroupArn ?? "", c.productionListenerRule ?? "", c.testListenerRule ?? "", c.roleArn ?? ""] : [];
  };
  const key = (list: LoadBalancerBinding[]) => JSON.stringify(list.map((l) => [l.targetGroupArn, l.containerName, l.containerPort, ...advanced(l)]).sort());
  return key(a) === key(b);
}

const describeNetwork = (n: NetworkSettings | undefined) => (n ? `subnets ${n.subnets.join(",")} sg ${n.securityGroups.join(",") || "-"} publicIp ${n.assignPublicIp ? "on" : "off"}` : "none");
const describeAdvanced = (l: LoadBalancerBinding) => {
  const c = l.advancedConfiguration;
  return c ? ` (alternate ${c.alternateTargetGroupArn ?? "?"}, production rule ${c.productionListenerRule ?? "?"}${c.testListenerRule ? `, test rule ${c.testListenerRule}` : ""}, role ${c.roleArn ?? "?"})` : "";
};
const describeLoadBalancers = (list: LoadBalancerBinding[]) => (list.length === 0 ? "none" : list.map((l) => `${l.containerName}:${l.containerPort} → ${l.targetGroupArn}${describeAdvanced(l)}`).join(", "));
const describeAlarms = (a: DeploymentAlarms | undefined) => (a && a.enable ? `, alarms ${a.alarmNames.join(",") || "(none)"}${a.rollback ? " with rollback" : ""}` : "");
/** ECS's strategy in a line: "CANARY 10 % for 5 min then the rest, bake 5 min, pause hooks at POST_TEST_TRAFFIC_SHIFT". */
export function describeStrategy(config: DeploymentConfiguration | undefined): string {
  const strategy = strategyOf(config);
  if (strategy === "ROLLING") return "ROLLING";
  const linear = config?.linearConfiguration;
  const canary = config?.canaryConfiguration;
  const shape = linear ? ` ${linear.stepPercent ?? "?"} % a step, ${linear.stepBakeTimeInMinutes ?? "?"} min between` : canary ? ` ${canary.canaryPercent ?? "?"} % for ${canary.canaryBakeTimeInMinutes ?? "?"} min then the rest` : "";
  const pauses = (config?.lifecycleHooks ?? []).filter((h) => h.targetType === "PAUSE").flatMap((h) => h.lifecycleStages ?? []);
  return `${strategy}${shape}, bake ${config?.bakeTimeInMinutes ?? "?"} min${pauses.length > 0 ? `, pause hooks at ${pauses.join(", ")}` : ""}`;
}

const describeDeployment = (d: DesiredService["deployment"]) => `min ${d.minimumHealthyPercent}% max ${d.maximumPercent}% circuit breaker ${d.circuitBreaker.enable ? `on${d.circuitBreaker.rollback ? " with rollback" : " without rollback"}` : "off"}${describeAlarms(d.alarms)}`;

/** What a failed rollout would leave, said in the plan so a person knows before the write. */
function onFailure(breaker: DesiredService["deployment"]["circuitBreaker"], previous: string | undefined, native?: DesiredService["native"]): string {
  if (native) {
    const back = previous ? `ECS rolls the service back to ${revisionLabel(previous)}, which keeps running until the bake time is over` : "a new service has no earlier revision to return to: ECS scales the new one in";
    return `on failure (a verification failed, an abort, a hook timing out with ROLLBACK): ${back}`;
  }
  const back = previous ? revisionLabel(previous) : undefined;
  if (breaker.enable && breaker.rollback) return back ? `on failure (tasks failing to start or to pass health checks): ECS's circuit breaker rolls the service back to ${back}` : "on failure: ECS's circuit breaker stops the deployment; a new service has no earlier revision to return to";
  const rollback = back ? `; \`slipway rollback\` returns it to ${back}` : "";
  return breaker.enable ? `on failure: ECS's circuit breaker stops the deployment and leaves the service as it stands${rollback}` : `on failure: nothing stops the rollout but the step's wait timeout (the circuit breaker is off)${rollback}`;
}

/**
 * The desired count an update sends. A service Application Auto Scaling manages keeps the count it has (the step's
 * count is for creating the service): setting it back would undo a scale-out under load — AWS's guidance is to
 * leave it out of updates. When whether it is managed could not be read, the count is left alone too.
 */
export function countOnUpdate(current: Pick<ObservedService, "desiredCount" | "scaling">, stepCount: number): { update?: number; note?: string } {
  const scaling = current.scaling;
  if (scaling?.kind === "registered") {
    const range = `${scaling.minCapacity}–${scaling.maxCapacity}`;
    return { note: `desired count: ${current.desiredCount}, left to Application Auto Scaling (${range})${current.desiredCount !== stepCount ? `; the step's ${stepCount} applies only when the service is created` : ""}` };
  }
  if (scaling?.kind === "unknown") {
    return { note: `desired count: ${current.desiredCount}, left as it is: whether Application Auto Scaling manages it could not be read (${scaling.reason})${current.desiredCount !== stepCount ? `; the step's ${stepCount} is not applied` : ""}` };
  }
  return current.desiredCount !== stepCount ? { update: stepCount } : {};
}

/** A short fingerprint of what an action sends: the same desired state gives the same journal key. */
function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12);
}

/** Refuses a service the rolling mode must not touch; each refusal says how to get out of it. */
export function refuseUnmanageable(current: ObservedService): void {
  if (current.controller !== "ECS") {
    throw new ConflictError(
      `The service "${current.name}" uses the ${current.controller} deployment controller, but this step deploys with mode: rolling, which needs ECS's own controller (ECS). slipway will not switch a service's controller as a side effect of a deploy.`,
      current.controller === "EXTERNAL"
        ? "Deploy it with a task-set mode (mode: canary or mode: blue-green) instead; or, to move it to rolling updates, first scale it down to one PRIMARY task set, then run `aws ecs update-service --cluster <cluster> --service <name> --deployment-controller type=ECS` and deploy again."
        : "Deploy it with the tool that owns its controller, or create a new service for slipway to manage with mode: rolling and move traffic to it.",
    );
  }
  if (current.status === "DRAINING") {
    throw new ConflictError(`The service "${current.name}" is being deleted (DRAINING), so it cannot be deployed to.`, "Wait until ECS has removed it (it turns INACTIVE), then deploy again to create it afresh.");
  }
}

/**
 * Current service + desired → create it, update what differs, or nothing. Pure (STYLE lesson 5): the same
 * inputs always give the same plan; an empty plan makes no AWS write.
 */
export function planRolling(current: ObservedService | undefined, desired: DesiredService, facts: PlanFacts): Plan<RollingAction> {
  const step = `service:${desired.serviceName}`;
  if (!current) {
    const daemon = desired.schedulingStrategy === "DAEMON";
    const input: CreateServiceCommandInput = {
      cluster: desired.cluster,
      serviceName: desired.serviceName,
      taskDefinition: desired.taskDefinitionArn,
      // A daemon runs one task per container instance: ECS refuses a desired count for it.
      ...(daemon ? { schedulingStrategy: "DAEMON" } : { desiredCount: desired.desiredCount }),
      ...(desired.launchType && { launchType: desired.launchType }),
      deploymentController: { type: "ECS" },
      deploymentConfiguration: deploymentConfiguration(desired),
      ...(desired.network && { networkConfiguration: networkConfiguration(desired.network) }),
      ...(desired.loadBalancers?.length && { loadBalancers: desired.loadBalancers }),
      ...(desired.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: desired.healthCheckGracePeriodSeconds }),
      ...desired.definition,
      ...(desired.tags.length > 0 && { tags: desired.tags }),
    };
    const count = daemon ? "one task per container instance (DAEMON)" : `× ${desired.desiredCount}`;
    const summary = `create the service ${desired.serviceName} running ${revisionLabel(desired.taskDefinitionArn)} ${count}`;
    const where = desired.launchType ?? `capacity providers ${showValue(desired.definition.capacityProviderStrategy)}`;
    const members = Object.entries(desired.definition).map(([field, value]) => `${field}: ${showValue(value)}`);
    return {
      step,
      actions: [{ kind: "create-service", key: `create ${desired.serviceName}@${fingerprint(input)}`, summary, params: { input } }],
      diff: [`service ${desired.serviceName}: (none) → ${revisionLabel(desired.taskDefinitionArn)} ${count}, ${where}, ${desired.native ? describeStrategy(deploymentConfiguration(desired)) : describeDeployment(desired.deployment)}`, ...members, ...(desired.tags.length > 0 ? [`tags: ${showTags(desired.tags)}`] : []), ...facts.taskDefinitionDiff],
      notes: [onFailure(desired.deployment.circuitBreaker, undefined, desired.native)],
    };
  }

  refuseUnmanageable(current);
  refuseSchedulingChange(current, desired);
  const capacity = capacityChange(current, desired);

  const update: UpdateServiceCommandInput = { cluster: desired.cluster, service: desired.serviceName };
  const diff: string[] = [];
  if (current.taskDefinitionArn !== desired.taskDefinitionArn) {
    update.taskDefinition = desired.taskDefinitionArn;
    diff.push(`task definition: ${revisionLabel(current.taskDefinitionArn)} → ${revisionLabel(desired.taskDefinitionArn)}`, ...facts.taskDefinitionDiff);
  }
  // A daemon's count is ECS's (one per container instance), never the step's.
  const count = desired.schedulingStrategy === "DAEMON" ? {} : countOnUpdate(current, desired.desiredCount);
  if (count.update !== undefined) {
    update.desiredCount = count.update;
    diff.push(`desired count: ${current.desiredCount} → ${count.update}`);
  }
  const strategyChanges = strategyKey(current.deploymentConfiguration) !== desiredStrategyKey(desired);
  if (!sameDeployment(current.deployment, desired.deployment) || strategyChanges) {
    update.deploymentConfiguration = deploymentConfiguration(desired, current.deploymentConfiguration);
    if (!sameDeployment(current.deployment, desired.deployment)) diff.push(`deployment configuration: ${describeDeployment(current.deployment)} → ${describeDeployment(desired.deployment)}`);
    if (strategyChanges) diff.push(`deployment strategy: ${describeStrategy(current.deploymentConfiguration)} → ${describeStrategy(update.deploymentConfiguration)}`);
  }
  if (desired.network && !sameNetwork(current.network, desired.network)) {
    update.networkConfiguration = networkConfiguration(desired.network);
    diff.push(`network: ${describeNetwork(current.network)} → ${describeNetwork(desired.network)}`);
  }
  if (desired.loadBalancers && !sameLoadBalancers(current.loadBalancers, desired.loadBalancers)) {
    update.loadBalancers = desired.loadBalancers;
    diff.push(`load balancers: ${describeLoadBalancers(current.loadBalancers)} → ${describeLoadBalancers(desired.loadBalancers)}`);
  }
  if (desired.healthCheckGracePeriodSeconds !== undefined && current.healthCheckGracePeriodSeconds !== desired.healthCheckGracePeriodSeconds) {
    update.healthCheckGracePeriodSeconds = desired.healthCheckGracePeriodSeconds;
    diff.push(`health check grace period: ${current.healthCheckGracePeriodSeconds ?? "none"} → ${desired.healthCheckGracePeriodSeconds} s`);
  }
  for (const change of definitionChanges(desired.definition, current.definition)) {
    if (change.field === "capacityProviderStrategy") continue;
    Object.assign(update, { [change.field]: change.to });
    diff.push(`${change.field}: ${showValue(change.from)} → ${showValue(change.to)}`);
  }
  if (capacity.strategy) {
    update.capacityProviderStrategy = capacity.strategy;
    update.forceNewDeployment = true;
    diff.push(capacity.diff ?? "capacity provider strategy");
  }
  if (desired.forceNewDeployment && !update.forceNewDeployment) {
    update.forceNewDeployment = true;
    diff.push("force a new deployment (forceNewDeployment: true)");
  }

  const tags = tagsToAdd(desired.tags, current.tags);
  const tagActions: TagServiceAction[] = tags.length > 0 ? [{ kind: "tag-service", key: `tag ${desired.serviceName}@${fingerprint(tags)}`, summary: `tag the service ${desired.serviceName}: ${showTags(tags)}`, params: { serviceArn: current.arn, tags } }] : [];
  const tagDiff = tags.length > 0 ? [`tags: add or change ${showTags(tags)}`] : [];
  const changed = Object.keys(update).length > 2;
  const countNotes = count.note ? [count.note] : [];
  if (!changed) {
    const unchanged = `${desired.serviceName} already runs ${revisionLabel(desired.taskDefinitionArn)} × ${current.desiredCount} as configured`;
    return { step, actions: tagActions, diff: tagDiff, notes: [tagActions.length > 0 ? `${unchanged}; only its tags change (no new deployment)` : `${unchanged}: nothing to change`, ...countNotes] };
  }
  const what = [update.taskDefinition && `to ${revisionLabel(update.taskDefinition)}`, update.desiredCount !== undefined && `count ${update.desiredCount}`].filter(Boolean).join(", ");
  const summary = `update the service ${desired.serviceName}${what ? ` (${what})` : ""}`;
  // Tags first: a tag write refused (permissions) then stops the deploy before any deployment starts.
  return { step, actions: [...tagActions, { kind: "update-service", key: `update ${desired.serviceName}@${fingerprint(update)}`, summary, params: { input: update } }], diff: [...diff, ...tagDiff], notes: [...countNotes, ...runningTasksNote(update), onFailure(desired.deployment.circuitBreaker, current.taskDefinitionArn, desired.native)] };
}

/** Members ECS applies only to tasks it starts later (AWS's UpdateService reference), and those that start a deployment. */
const forNewTasks = ["enableExecuteCommand", "propagateTags", "enableECSManagedTags"] as const;
const startsDeployment = ["taskDefinition", "forceNewDeployment", "networkConfiguration", "platformVersion", "loadBalancers", "serviceRegistries", "serviceConnectConfiguration", "volumeConfigurations", "vpcLatticeConfigurations", "capacityProviderStrategy"];

/** Said when an update changes a member running tasks never see and starts no deployment that would replace them. */
function runningTasksNote(update: UpdateServiceCommandInput): string[] {
  const later = forNewTasks.filter((m) => update[m] !== undefined);
  if (later.length === 0 || startsDeployment.some((m) => (update as unknown as Record<string, unknown>)[m] !== undefined)) return [];
  return [`${later.join(", ")}: applies to tasks started from now on; the running ones keep the old setting until the next deployment (forceNewDeployment: true replaces them now)`];
}

/** ECS fixes a service's scheduling strategy when it creates it: REPLICA and DAEMON are different services. */
function refuseSchedulingChange(current: ObservedService, desired: DesiredService): void {
  if (current.schedulingStrategy === desired.schedulingStrategy) return;
  throw new ConflictError(
    `The service "${current.name}" is a ${current.schedulingStrategy} service; the step asks for ${desired.schedulingStrategy}. ECS cannot change a service's scheduling strategy.`,
    `Set schedulingStrategy: ${current.schedulingStrategy} in the step, or create a service under a new name as ${desired.schedulingStrategy} and move to it.`,
  );
}
