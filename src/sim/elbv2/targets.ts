import type { DeregisterTargetsInput, DescribeTargetHealthInput, RegisterTargetsInput, TargetDescription, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import type { RegisteredTarget } from "../links.js";
import type { Handler } from "../module.js";
import { list, optionalInt, optionalString, requiredString } from "./coerce.js";
import { stateOf } from "./context.js";
import { validation } from "./errors.js";
import { parseIp } from "./source-ip.js";
import type { TargetGroupRecord, TargetRecord } from "./state.js";
import { deregistrationDelaySeconds, requireTargetGroup } from "./target-groups.js";
import { drainedAt, healthOf, targetKey } from "./target-health.js";

/** Registering and deregistering targets (through the API or for ECS tasks) and describing their health. */
/** ALB quota: targets per target group. */
export const maxTargetsPerGroup = 1000;

/** Registers a target; registering one that is already registered changes nothing, as in AWS. */
export function register(group: TargetGroupRecord, target: Omit<RegisteredTarget, "taskArn"> & { taskArn?: string; availabilityZone?: string }, at: Date): void {
  const key = targetKey(target.id, target.port);
  const existing = group.targets.get(key);
  if (existing && !existing.deregisteredAt) {
    if (target.taskArn) existing.taskArn = target.taskArn;
    existing.passesHealthCheck = target.passesHealthCheck;
    return;
  }
  if (group.targets.size >= maxTargetsPerGroup) throw new AwsError("TooManyTargets", `You've reached the limit of ${maxTargetsPerGroup} targets per target group`);
  const record: TargetRecord = {
    id: target.id,
    port: target.port,
    passesHealthCheck: target.passesHealthCheck,
    registeredAt: at,
    ...(target.taskArn && { taskArn: target.taskArn }),
    ...(target.availabilityZone && { availabilityZone: target.availabilityZone }),
  };
  group.targets.set(key, record);
}

/**
 * Starts a target draining for the group's deregistration delay. A group no listener forwards to has no
 * connections to drain, so its targets go at once.
 */
export function deregister(group: TargetGroupRecord, id: string, port: number, at: Date): boolean {
  const key = targetKey(id, port);
  const target = group.targets.get(key);
  if (!target) return false;
  if (target.deregisteredAt) return true;
  const delay = deregistrationDelaySeconds(group);
  if (!group.inUseSince || delay === 0) {
    target.removedAt = at;
    group.targets.delete(key);
    return true;
  }
  target.deregisteredAt = at;
  target.drainingSeconds = delay;
  return true;
}

/** Drops targets whose draining has finished. */
export function dropDrained(group: TargetGroupRecord, now: Date): void {
  for (const [key, target] of group.targets) {
    const drained = drainedAt(target);
    if (drained !== undefined && drained <= now.getTime()) group.targets.delete(key);
  }
}

function parseTargets(group: TargetGroupRecord, raw: unknown): { id: string; port: number; availabilityZone?: string }[] {
  const targets = list<TargetDescription>(raw);
  if (targets.length === 0) throw validation("At least one target must be specified");
  return targets.map((t) => {
    const id = requiredString(t.Id, "Id");
    const port = optionalInt(t.Port, "Port") ?? group.port;
    if (port === undefined && group.targetType !== "lambda") throw validation(`A port must be specified for target '${id}'`);
    if (port !== undefined && (port < 1 || port > 65535)) throw validation(`Port '${port}' must be from 1 to 65535`);
    if (group.targetType === "ip" && !parseIp(id)) throw new AwsError("InvalidTarget", `The IP address '${id}' is not a valid IPv4 address`);
    if (group.targetType === "instance" && !/^i-[0-9a-f]{8,17}$/.test(id)) throw new AwsError("InvalidTarget", `The instance ID '${id}' is not valid`);
    const availabilityZone = optionalString(t.AvailabilityZone);
    return { id, port: port ?? 0, ...(availabilityZone && { availabilityZone }) };
  });
}

export const targetOperations: Record<string, Handler> = {
  RegisterTargets(input: RegisterTargetsInput, ctx) {
    const group = requireTargetGroup(stateOf(ctx), requiredString(input.TargetGroupArn, "TargetGroupArn"));
    for (const target of parseTargets(group, input.Targets)) register(group, { ...target, passesHealthCheck: true }, ctx.now);
    return {};
  },

  DeregisterTargets(input: DeregisterTargetsInput, ctx) {
    const group = requireTargetGroup(stateOf(ctx), requiredString(input.TargetGroupArn, "TargetGroupArn"));
    const targets = parseTargets(group, input.Targets);
    const missing = targets.filter((t) => !group.targets.has(targetKey(t.id, t.port)));
    if (missing.length > 0) {
      throw new AwsError("InvalidTarget", `The following targets are not registered in target group '${group.arn}': '${missing.map((t) => t.id).join("', '")}'`);
    }
    for (const target of targets) deregister(group, target.id, target.port, ctx.now);
    return {};
  },

  DescribeTargetHealth(input: DescribeTargetHealthInput, ctx) {
    const group = requireTargetGroup(stateOf(ctx), requiredString(input.TargetGroupArn, "TargetGroupArn"));
    dropDrained(group, ctx.now);
    const asked = input.Targets !== undefined && list(input.Targets).length > 0 ? parseTargets(group, input.Targets) : undefined;
    const targets = asked ?? [...group.targets.values()].map((t) => ({ id: t.id, port: t.port, ...(t.availabilityZone && { availabilityZone: t.availabilityZone }) }));
    const descriptions: TargetHealthDescription[] = targets.map((t) => {
      const record = group.targets.get(targetKey(t.id, t.port));
      return {
        Target: { Id: t.id, ...(group.targetType !== "lambda" && { Port: t.port }), ...(t.availabilityZone && { AvailabilityZone: t.availabilityZone }) },
        HealthCheckPort: group.healthCheck.port === "traffic-port" ? String(t.port) : group.healthCheck.port,
        TargetHealth: healthOf(group, record, ctx.now),
      };
    });
    return { TargetHealthDescriptions: descriptions };
  },
};
