import { createHash } from "node:crypto";
import type { CreateServiceCommandInput, NetworkConfiguration, UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../../src/errors.js";
import type { Action, Plan } from "../../../src/engine/plan.js";
import type { PlanFacts } from "../mode.js";
import { revisionLabel, type DesiredService, type LoadBalancerBinding, type ObservedService } from "../state.js";
import type { NetworkSettings } from "../input.js";

export type CreateServiceAction = Action<"create-service", { input: CreateServiceCommandInput }>;
export type UpdateServiceAction = Action<"update-service", { input: UpdateServiceCommandInput }>;
export type RollingAction = CreateServiceAction | UpdateServiceAction;

function networkConfiguration(network: NetworkSettings | undefined): NetworkConfiguration | undefined {
  if (!network) return undefined;
  return { awsvpcConfiguration: { subnets: network.subnets, securityGroups: network.securityGroups, assignPublicIp: network.assignPublicIp ? "ENABLED" : "DISABLED" } };
}

function deploymentConfiguration(desired: DesiredService) {
  const { minimumHealthyPercent, maximumPercent, circuitBreaker } = desired.deployment;
  return { minimumHealthyPercent, maximumPercent, deploymentCircuitBreaker: { enable: circuitBreaker.enable, rollback: circuitBreaker.rollback } };
}

function sameNetwork(a: NetworkSettings | undefined, b: NetworkSettings | undefined): boolean {
  const key = (n: NetworkSettings | undefined) => (n ? JSON.stringify([[...n.subnets].sort(), [...n.securityGroups].sort(), n.assignPublicIp]) : "none");
  return key(a) === key(b);
}

function sameLoadBalancers(a: LoadBalancerBinding[], b: LoadBalancerBinding[]): boolean {
  const key = (list: LoadBalancerBinding[]) => JSON.stringify(list.map((l) => [l.targetGroupArn, l.containerName, l.containerPort]).sort());
  return key(a) === key(b);
}

const describeNetwork = (n: NetworkSettings | undefined) => (n ? `subnets ${n.subnets.join(",")} sg ${n.securityGroups.join(",") || "-"} publicIp ${n.assignPublicIp ? "on" : "off"}` : "none");
const describeLoadBalancers = (list: LoadBalancerBinding[]) => (list.length === 0 ? "none" : list.map((l) => `${l.containerName}:${l.containerPort} → ${l.targetGroupArn}`).join(", "));
const describeDeployment = (d: DesiredService["deployment"]) => `min ${d.minimumHealthyPercent}% max ${d.maximumPercent}% circuit breaker ${d.circuitBreaker.enable ? `on${d.circuitBreaker.rollback ? " with rollback" : " without rollback"}` : "off"}`;

/** What a failed rollout would leave, said in the plan so a person knows before the write. */
function onFailure(breaker: DesiredService["deployment"]["circuitBreaker"], previous: string | undefined): string {
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
    const input: CreateServiceCommandInput = {
      cluster: desired.cluster,
      serviceName: desired.serviceName,
      taskDefinition: desired.taskDefinitionArn,
      desiredCount: desired.desiredCount,
      launchType: desired.launchType,
      deploymentController: { type: "ECS" },
      deploymentConfiguration: deploymentConfiguration(desired),
      ...(desired.network && { networkConfiguration: networkConfiguration(desired.network) }),
      ...(desired.loadBalancers.length > 0 && { loadBalancers: desired.loadBalancers }),
      ...(desired.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: desired.healthCheckGracePeriodSeconds }),
    };
    const summary = `create the service ${desired.serviceName} running ${revisionLabel(desired.taskDefinitionArn)} × ${desired.desiredCount}`;
    return {
      step,
      actions: [{ kind: "create-service", key: `create ${desired.serviceName}@${fingerprint(input)}`, summary, params: { input } }],
      diff: [`service ${desired.serviceName}: (none) → ${revisionLabel(desired.taskDefinitionArn)} × ${desired.desiredCount}, ${desired.launchType}, ${describeDeployment(desired.deployment)}`, ...facts.taskDefinitionDiff],
      notes: [onFailure(desired.deployment.circuitBreaker, undefined)],
    };
  }

  refuseUnmanageable(current);
  if (current.launchType !== undefined && current.launchType !== desired.launchType) {
    throw new ConflictError(`The service "${current.name}" runs on ${current.launchType}; the step asks for ${desired.launchType}. ECS cannot change a service's launch type in place.`, `Keep launchType: ${current.launchType}, or create a service under a new name with ${desired.launchType} and move traffic to it.`);
  }

  const update: UpdateServiceCommandInput = { cluster: desired.cluster, service: desired.serviceName };
  const diff: string[] = [];
  if (current.taskDefinitionArn !== desired.taskDefinitionArn) {
    update.taskDefinition = desired.taskDefinitionArn;
    diff.push(`task definition: ${revisionLabel(current.taskDefinitionArn)} → ${revisionLabel(desired.taskDefinitionArn)}`, ...facts.taskDefinitionDiff);
  }
  const count = countOnUpdate(current, desired.desiredCount);
  if (count.update !== undefined) {
    update.desiredCount = count.update;
    diff.push(`desired count: ${current.desiredCount} → ${count.update}`);
  }
  if (JSON.stringify(current.deployment) !== JSON.stringify(desired.deployment)) {
    update.deploymentConfiguration = deploymentConfiguration(desired);
    diff.push(`deployment configuration: ${describeDeployment(current.deployment)} → ${describeDeployment(desired.deployment)}`);
  }
  if (desired.network && !sameNetwork(current.network, desired.network)) {
    update.networkConfiguration = networkConfiguration(desired.network);
    diff.push(`network: ${describeNetwork(current.network)} → ${describeNetwork(desired.network)}`);
  }
  if (!sameLoadBalancers(current.loadBalancers, desired.loadBalancers)) {
    update.loadBalancers = desired.loadBalancers;
    diff.push(`load balancers: ${describeLoadBalancers(current.loadBalancers)} → ${describeLoadBalancers(desired.loadBalancers)}`);
  }
  if (desired.healthCheckGracePeriodSeconds !== undefined && current.healthCheckGracePeriodSeconds !== desired.healthCheckGracePeriodSeconds) {
    update.healthCheckGracePeriodSeconds = desired.healthCheckGracePeriodSeconds;
    diff.push(`health check grace period: ${current.healthCheckGracePeriodSeconds ?? "none"} → ${desired.healthCheckGracePeriodSeconds} s`);
  }
  if (desired.forceNewDeployment) {
    update.forceNewDeployment = true;
    diff.push("force a new deployment (forceNewDeployment: true)");
  }

  const changed = Object.keys(update).length > 2;
  const countNotes = count.note ? [count.note] : [];
  if (!changed) {
    return { step, actions: [], diff: [], notes: [`${desired.serviceName} already runs ${revisionLabel(desired.taskDefinitionArn)} × ${current.desiredCount} as configured: nothing to change`, ...countNotes] };
  }
  const what = [update.taskDefinition && `to ${revisionLabel(update.taskDefinition)}`, update.desiredCount !== undefined && `count ${update.desiredCount}`].filter(Boolean).join(", ");
  const summary = `update the service ${desired.serviceName}${what ? ` (${what})` : ""}`;
  return { step, actions: [{ kind: "update-service", key: `update ${desired.serviceName}@${fingerprint(update)}`, summary, params: { input: update } }], diff, notes: [...countNotes, onFailure(desired.deployment.circuitBreaker, current.taskDefinitionArn)] };
}
