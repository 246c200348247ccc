import type {
  CreateTargetGroupInput,
  DeleteTargetGroupInput,
  DescribeTargetGroupAttributesInput,
  DescribeTargetGroupsInput,
  ModifyTargetGroupAttributesInput,
  ModifyTargetGroupInput,
  TargetGroup,
  TargetGroupAttribute,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import type { Handler } from "../module.js";
import { loadBalancersForwardingTo } from "./actions.js";
import { list, optionalInt, optionalString, requiredString } from "./coerce.js";
import { stateOf } from "./context.js";
import { constraintViolation, resourceInUse, targetGroupNotFound, validation } from "./errors.js";
import { applyHealthCheck, defaultHealthCheck } from "./health-check-settings.js";
import { requireLoadBalancer } from "./load-balancers.js";
import { page } from "./paging.js";
import { newResourceId, type ElbRegionState, type TargetGroupRecord } from "./state.js";
import { addTags } from "./tags.js";

/** Target groups: create, describe, modify, delete, and their attributes. */
const targetTypes = ["instance", "ip", "lambda", "alb"] as const;
const protocols = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"];

/** AWS's defaults for the attributes of an application load balancer's target group. */
const defaultAttributes: [string, string][] = [
  ["deregistration_delay.timeout_seconds", "300"],
  ["stickiness.enabled", "false"],
  ["stickiness.type", "lb_cookie"],
  ["stickiness.lb_cookie.duration_seconds", "86400"],
  ["stickiness.app_cookie.cookie_name", ""],
  ["stickiness.app_cookie.duration_seconds", "86400"],
  ["slow_start.duration_seconds", "0"],
  ["load_balancing.algorithm.type", "round_robin"],
  ["load_balancing.algorithm.anomaly_mitigation", "off"],
  ["load_balancing.cross_zone.enabled", "use_load_balancer_configuration"],
];

export function requireTargetGroup(state: ElbRegionState, arn: string): TargetGroupRecord {
  const group = state.targetGroups.get(arn);
  if (!group) throw targetGroupNotFound();
  return group;
}

/** How long a deregistered target of the group drains before it is gone. */
export function deregistrationDelaySeconds(group: TargetGroupRecord): number {
  return Number(group.attributes.get("deregistration_delay.timeout_seconds") ?? "300");
}

function checkName(name: string): void {
  if (name.length > 32) throw validation(`Target group name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw validation(`Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith("-") || name.endsWith("-")) throw validation(`Target group name '${name}' cannot begin or end with '-'`);
}

export function describeTargetGroup(state: ElbRegionState, group: TargetGroupRecord): TargetGroup {
  const hc = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    ...(group.protocol && { Protocol: group.protocol as TargetGroup["Protocol"] }),
    ...(group.port !== undefined && { Port: group.port }),
    ...(group.vpcId && { VpcId: group.vpcId }),
    HealthCheckProtocol: hc.protocol as TargetGroup["HealthCheckProtocol"],
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: loadBalancersForwardingTo(state, group.arn),
    TargetType: group.targetType,
    ...(group.protocolVersion && { ProtocolVersion: group.protocolVersion }),
    IpAddressType: group.ipAddressType as TargetGroup["IpAddressType"],
  };
}

function sameSettings(a: TargetGroupRecord, b: TargetGroupRecord): boolean {
  return a.protocol === b.protocol && a.port === b.port && a.vpcId === b.vpcId && a.targetType === b.targetType && JSON.stringify(a.healthCheck) === JSON.stringify(b.healthCheck);
}

function attributeList(group: TargetGroupRecord): TargetGroupAttribute[] {
  return [...group.attributes].map(([Key, Value]) => ({ Key, Value }));
}

export const targetGroupOperations: Record<string, Handler> = {
  CreateTargetGroup(input: CreateTargetGroupInput, ctx) {
    const state = stateOf(ctx);
    const name = requiredString(input.Name, "Name");
    checkName(name);
    const targetType = (optionalString(input.TargetType) ?? "instance") as TargetGroupRecord["targetType"];
    if (!targetTypes.includes(targetType)) throw constraintViolation(targetType, "targetType", `Member must satisfy enum value set: [${targetTypes.join(", ")}]`);
    const lambda = targetType === "lambda";
    const protocol = optionalString(input.Protocol);
    const port = optionalInt(input.Port, "Port");
    const vpcId = optionalString(input.VpcId);
    if (lambda && (protocol || port !== undefined || vpcId)) throw validation("A protocol, port and VPC ID cannot be specified for target groups with target type 'lambda'");
    if (!lambda) {
      if (!protocol) throw validation("A protocol must be specified");
      if (!protocols.includes(protocol)) throw constraintViolation(protocol, "protocol", `Member must satisfy enum value set: [${protocols.join(", ")}]`);
      if (port === undefined) throw validation("A port must be specified");
      if (port < 1 || port > 65535) throw constraintViolation(port, "port", "Member must have value between 1 and 65535");
      if (!vpcId) throw validation("A VPC ID must be specified");
    }
    const group: TargetGroupRecord = {
      arn: state.arn(`targetgroup/${name}/${newResourceId()}`),
      name,
      targetType,
      ...(protocol && { protocol }),
      ...((protocol === "HTTP" || protocol === "HTTPS") && { protocolVersion: optionalString(input.ProtocolVersion) ?? "HTTP1" }),
      ...(port !== undefined && { port }),
      ...(vpcId && { vpcId }),
      ipAddressType: optionalString(input.IpAddressType) ?? "ipv4",
      healthCheck: applyHealthCheck(defaultHealthCheck(targetType, protocol), input),
      attributes: new Map(defaultAttributes),
      targets: new Map(),
    };
    const existing = [...state.targetGroups.values()].find((g) => g.name === name);
    if (existing) {
      // Creating the same target group again is idempotent; only different settings conflict.
      if (!sameSettings(existing, group)) throw new AwsError("DuplicateTargetGroupName", `A target group with the same name '${name}' exists, but with different settings`);
      return { TargetGroups: [describeTargetGroup(state, existing)] };
    }
    addTags(state, group.arn, input.Tags);
    state.targetGroups.set(group.arn, group);
    return { TargetGroups: [describeTargetGroup(state, group)] };
  },

  DescribeTargetGroups(input: DescribeTargetGroupsInput, ctx) {
    const state = stateOf(ctx);
    const names = list<string>(input.Names);
    const arns = list<string>(input.TargetGroupArns);
    const lbArn = optionalString(input.LoadBalancerArn);
    let found = [...state.targetGroups.values()];
    if (lbArn) {
      requireLoadBalancer(state, lbArn);
      found = found.filter((g) => loadBalancersForwardingTo(state, g.arn).includes(lbArn));
    }
    if (names.length > 0) {
      const missing = names.filter((n) => !found.some((g) => g.name === n));
      if (missing.length > 0) throw new AwsError("TargetGroupNotFound", `Target groups '[${missing.join(", ")}]' not found`);
      found = found.filter((g) => names.includes(g.name));
    }
    if (arns.length > 0) {
      found = arns.map((arn) => requireTargetGroup(state, arn));
    }
    const { items, NextMarker } = page(found, input);
    return { TargetGroups: items.map((g) => describeTargetGroup(state, g)), ...(NextMarker && { NextMarker }) };
  },

  ModifyTargetGroup(input: ModifyTargetGroupInput, ctx) {
    const state = stateOf(ctx);
    const group = requireTargetGroup(state, requiredString(input.TargetGroupArn, "TargetGroupArn"));
    group.healthCheck = applyHealthCheck(group.healthCheck, input);
    return { TargetGroups: [describeTargetGroup(state, group)] };
  },

  DeleteTargetGroup(input: DeleteTargetGroupInput, ctx) {
    const state = stateOf(ctx);
    const arn = requiredString(input.TargetGroupArn, "TargetGroupArn");
    if (!state.targetGroups.has(arn)) return {};
    if (loadBalancersForwardingTo(state, arn).length > 0) {
      throw resourceInUse(`Target group '${arn}' is currently in use by a listener or a rule`);
    }
    for (const target of state.targetGroups.get(arn)?.targets.values() ?? []) target.removedAt ??= ctx.now;
    state.targetGroups.delete(arn);
    state.tags.delete(arn);
    return {};
  },

  DescribeTargetGroupAttributes(input: DescribeTargetGroupAttributesInput, ctx) {
    const group = requireTargetGroup(stateOf(ctx), requiredString(input.TargetGroupArn, "TargetGroupArn"));
    return { Attributes: attributeList(group) };
  },

  ModifyTargetGroupAttributes(input: ModifyTargetGroupAttributesInput, ctx) {
    const group = requireTargetGroup(stateOf(ctx), requiredString(input.TargetGroupArn, "TargetGroupArn"));
    const changes = list<TargetGroupAttribute>(input.Attributes);
    for (const { Key, Value } of changes) {
      if (!Key || !group.attributes.has(Key)) throw validation(`Target group attribute key '${Key ?? ""}' is not recognized`);
      if (Key === "deregistration_delay.timeout_seconds") {
        const n = Number(Value);
        if (!Number.isInteger(n) || n < 0 || n > 3600) throw validation(`'${Value ?? ""}' must be an integer from 0 to 3600 for '${Key}'`);
      }
    }
    for (const { Key, Value } of changes) group.attributes.set(Key ?? "", Value ?? "");
    return { Attributes: attributeList(group) };
  },
};
