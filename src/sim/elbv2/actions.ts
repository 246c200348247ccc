import type { Action, TargetGroupTuple } from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError } from "../aws-error.js";
import { list, optionalBool, optionalInt, optionalString } from "./coerce.js";
import { constraintViolation, invalidConfiguration, targetGroupNotFound, validation } from "./errors.js";
import type { ElbRegionState } from "./state.js";

/**
 * Listener and rule actions: checked the way AWS checks them, stored in one canonical form (forward always as a
 * ForwardConfig) and described the way AWS describes them.
 */
const actionTypes = ["forward", "redirect", "fixed-response", "authenticate-oidc", "authenticate-cognito"];
const terminalTypes = new Set(["forward", "redirect", "fixed-response"]);
/** ALB quota: target groups per forward action. */
export const maxTargetGroupsPerAction = 5;
const maxWeight = 999;

export interface WeightedGroup {
  arn: string;
  weight: number;
}

/** The weighted target groups of a stored forward action (empty for other actions). */
export function forwardTargets(action: Action): WeightedGroup[] {
  if (action.Type !== "forward") return [];
  return (action.ForwardConfig?.TargetGroups ?? []).map((t) => ({ arn: t.TargetGroupArn ?? "", weight: t.Weight ?? 1 }));
}

/** Every target group the actions forward to. */
export function targetGroupsOf(actions: Action[]): string[] {
  return actions.flatMap(forwardTargets).map((t) => t.arn);
}

/**
 * Validates raw actions from the wire (every scalar a string) and returns them in stored form. `field` names the
 * parameter in error messages ("actions" or "defaultActions"); `loadBalancerArn` is the balancer they will serve.
 */
export function parseActions(state: ElbRegionState, raw: unknown, field: string, loadBalancerArn: string): Action[] {
  const inputs = list<Record<string, unknown>>(raw);
  if (inputs.length === 0) throw validation(`At least one action must be specified`);
  const actions = inputs.map((input, i) => parseAction(state, input, `${field}.${i + 1}.member`, loadBalancerArn));
  const terminal = actions.filter((a) => terminalTypes.has(a.Type ?? ""));
  if (terminal.length !== 1) {
    throw new AwsError("InvalidLoadBalancerAction", "A rule must have exactly one of the following actions: 'forward', 'redirect', 'fixed-response'");
  }
  if (actions.some((a) => a.Order !== undefined)) {
    actions.sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  }
  // The terminal action comes last, after any authenticate actions.
  if (!terminalTypes.has(actions[actions.length - 1]?.Type ?? "")) {
    throw new AwsError("InvalidLoadBalancerAction", "The forward, redirect or fixed-response action must be the last action to be performed");
  }
  return actions;
}

function parseAction(state: ElbRegionState, input: Record<string, unknown>, path: string, loadBalancerArn: string): Action {
  const type = optionalString(input.Type);
  if (!type || !actionTypes.includes(type)) {
    throw constraintViolation(type ?? "null", `${path}.type`, `Member must satisfy enum value set: [${actionTypes.join(", ")}]`);
  }
  const order = optionalInt(input.Order, "Order");
  if (order !== undefined && (order < 1 || order > 50000)) {
    throw constraintViolation(order, `${path}.order`, "Member must have value between 1 and 50000");
  }
  const base = { ...(order !== undefined && { Order: order }) };
  switch (type) {
    case "forward":
      return { Type: "forward", ...base, ForwardConfig: parseForward(state, input, path, loadBalancerArn) };
    case "fixed-response": {
      const config = (input.FixedResponseConfig ?? {}) as Record<string, unknown>;
      const status = optionalString(config.StatusCode);
      if (!status || !/^(2|4|5)\d\d$/.test(status)) {
        throw constraintViolation(status ?? "null", `${path}.fixedResponseConfig.statusCode`, "Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$");
      }
      return {
        Type: "fixed-response",
        ...base,
        FixedResponseConfig: {
          StatusCode: status,
          ...(optionalString(config.ContentType) && { ContentType: optionalString(config.ContentType) }),
          ...(typeof config.MessageBody === "string" && { MessageBody: config.MessageBody }),
        },
      };
    }
    case "redirect": {
      const config = (input.RedirectConfig ?? {}) as Record<string, string | undefined>;
      if (config.StatusCode !== "HTTP_301" && config.StatusCode !== "HTTP_302") {
        throw constraintViolation(config.StatusCode ?? "null", `${path}.redirectConfig.statusCode`, "Member must satisfy enum value set: [HTTP_301, HTTP_302]");
      }
      return { Type: "redirect", ...base, RedirectConfig: { ...config, StatusCode: config.StatusCode } };
    }
    default:
      // authenticate-* actions are stored as given; the simulator does not authenticate.
      return { ...(input as unknown as Action), ...base };
  }
}

function parseForward(state: ElbRegionState, input: Record<string, unknown>, path: string, loadBalancerArn: string): NonNullable<Action["ForwardConfig"]> {
  const single = optionalString(input.TargetGroupArn);
  const config = input.ForwardConfig as Record<string, unknown> | undefined;
  const tuples = list<Record<string, unknown>>(config?.TargetGroups);
  if (!single && tuples.length === 0) throw validation("A target group ARN must be specified");
  if (tuples.length > maxTargetGroupsPerAction) {
    throw constraintViolation(`[${tuples.map((t) => String(t.TargetGroupArn)).join(", ")}]`, `${path}.forwardConfig.targetGroups`, `Member must have length less than or equal to ${maxTargetGroupsPerAction}`);
  }
  if (single && tuples.length > 0 && (tuples.length !== 1 || tuples[0]?.TargetGroupArn !== single)) {
    // AWS: with both, the ForwardConfig may name only one group, and it must be the TargetGroupArn.
    throw validation("You cannot specify both a target group ARN and a forward config with a different or more than one target group");
  }
  const groups: TargetGroupTuple[] = tuples.length > 0
    ? tuples.map((t, i) => {
        const weight = optionalInt(t.Weight, "Weight") ?? 1;
        const at = `${path}.forwardConfig.targetGroups.${i + 1}.member.weight`;
        if (weight < 0) throw constraintViolation(weight, at, "Member must have value greater than or equal to 0");
        if (weight > maxWeight) throw constraintViolation(weight, at, `Member must have value less than or equal to ${maxWeight}`);
        const arn = optionalString(t.TargetGroupArn);
        if (!arn) throw validation("A target group ARN must be specified");
        return { TargetGroupArn: arn, Weight: weight };
      })
    : [{ TargetGroupArn: single, Weight: 1 }];
  const seen = new Set<string>();
  for (const group of groups) {
    const arn = group.TargetGroupArn ?? "";
    if (seen.has(arn)) throw validation(`Target group '${arn}' cannot be specified more than once in a forward action`);
    seen.add(arn);
    checkForwardable(state, arn, loadBalancerArn);
  }
  const stickiness = (config?.TargetGroupStickinessConfig ?? {}) as Record<string, unknown>;
  const enabled = optionalBool(stickiness.Enabled) ?? false;
  const duration = optionalInt(stickiness.DurationSeconds, "DurationSeconds");
  if (enabled && (duration === undefined || duration < 1 || duration > 604800)) {
    throw validation("Stickiness duration must be between 1 and 604800 seconds when stickiness is enabled");
  }
  return { TargetGroups: groups, TargetGroupStickinessConfig: { Enabled: enabled, ...(duration !== undefined && { DurationSeconds: duration }) } };
}

/** An ALB can forward to an existing HTTP/HTTPS (or lambda) group that no other load balancer uses. */
function checkForwardable(state: ElbRegionState, arn: string, loadBalancerArn: string): void {
  const group = state.targetGroups.get(arn);
  if (!group) throw targetGroupNotFound();
  if (group.targetType !== "lambda" && group.protocol !== "HTTP" && group.protocol !== "HTTPS") {
    throw new AwsError("IncompatibleProtocols", `The target group '${arn}' uses protocol '${group.protocol ?? ""}', which is not compatible with an application load balancer`);
  }
  // A load balancer whose VPC came from declared subnets forwards only to groups of that VPC (load-balancers.ts).
  const balancer = state.loadBalancers.get(loadBalancerArn);
  if (balancer?.vpcFromSubnets && group.vpcId !== undefined && group.vpcId !== balancer.vpcId) {
    throw invalidConfiguration(`Target group '${arn}' is in a different VPC than load balancer '${loadBalancerArn}'`);
  }
  const others = loadBalancersForwardingTo(state, arn).filter((lb) => lb !== loadBalancerArn);
  if (others.length > 0) {
    throw new AwsError("TargetGroupAssociationLimit", `The following target groups cannot be associated with more than one load balancer: ${arn}`);
  }
}

/** The load balancers whose listeners or rules forward to the group. */
export function loadBalancersForwardingTo(state: ElbRegionState, targetGroupArn: string): string[] {
  const arns = new Set<string>();
  for (const rule of state.rules.values()) {
    if (!targetGroupsOf(rule.actions).includes(targetGroupArn)) continue;
    const listener = state.listeners.get(rule.listenerArn);
    if (listener) arns.add(listener.loadBalancerArn);
  }
  return [...arns];
}

/** AWS describes a forward to one group with both TargetGroupArn and a ForwardConfig naming it. */
export function describeAction(action: Action): Action {
  if (action.Type !== "forward") return action;
  const groups = action.ForwardConfig?.TargetGroups ?? [];
  const single = groups.length === 1 ? groups[0]?.TargetGroupArn : undefined;
  return {
    Type: "forward",
    ...(single && { TargetGroupArn: single }),
    ...(action.Order !== undefined && { Order: action.Order }),
    ForwardConfig: action.ForwardConfig,
  };
}
