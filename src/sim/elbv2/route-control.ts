import { AwsError } from "../aws-error.js";
import type { CallContext, ControlHandler } from "../module.js";
import type { RoutedRequest } from "./condition-match.js";
import { stateOf } from "./context.js";
import { finalAction, matchRule, trafficShares } from "./routing.js";
import { healthOf } from "./target-health.js";
import type { TargetGroupRecord } from "./state.js";

/**
 * POST /_sim/elbv2/route — not an AWS API. Answers "who would serve this request?": the rule that matches, the
 * forward action's target groups with their share of traffic, and for each group the targets that would take the
 * request and the ECS task, task definition and task set or deployment behind each.
 */
function stringRecord(value: unknown, name: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new AwsError("BadRequest", `${name} must be an object of string values`);
  }
  return value as Record<string, string>;
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new AwsError("BadRequest", `${name} must be a string`);
  return value;
}

export function parseRoutedRequest(body: Record<string, unknown>): RoutedRequest {
  const headers = stringRecord(body.headers, "headers");
  const host = optionalText(body.host, "host");
  // A path given with its query string ("/x?canary=1") is split the way a listener sees the request.
  const [path, search] = (optionalText(body.path, "path") ?? "").split(/\?(.*)/s);
  const fromPath = search ? Object.fromEntries(new URLSearchParams(search)) : undefined;
  const given = stringRecord(body.query, "query");
  const query = fromPath || given ? { ...fromPath, ...given } : undefined;
  const method = optionalText(body.method, "method");
  const sourceIp = optionalText(body.sourceIp, "sourceIp");
  return { ...(host && { host }), ...(path && { path }), ...(method && { method }), ...(headers && { headers }), ...(query && { query }), ...(sourceIp && { sourceIp }) };
}

/** The targets that would take traffic: the healthy ones, or — failing open, as an ALB does — all unhealthy ones. */
function servingTargets(group: TargetGroupRecord, ctx: CallContext) {
  const withHealth = [...group.targets.values()].map((t) => ({ target: t, health: healthOf(group, t, ctx.now) }));
  const healthy = withHealth.filter((t) => t.health.State === "healthy" || t.health.State === "unavailable");
  const unhealthy = withHealth.filter((t) => t.health.State === "unhealthy");
  const failOpen = healthy.length === 0 && unhealthy.length > 0;
  const serving = failOpen ? unhealthy : healthy;
  return {
    failOpen,
    targets: serving.map(({ target, health }) => {
      const task = target.taskArn ? ctx.sim.ecs.taskBehindTarget(ctx.region, target.taskArn) : undefined;
      return {
        id: target.id,
        port: target.port,
        health: health.State,
        ...(target.taskArn && { taskArn: target.taskArn }),
        ...(task && {
          taskDefinitionArn: task.taskDefinitionArn,
          serviceName: task.serviceName,
          clusterArn: task.clusterArn,
          lastStatus: task.lastStatus,
          ...(task.taskSetId && { taskSetId: task.taskSetId }),
          ...(task.deploymentId && { deploymentId: task.deploymentId }),
        }),
      };
    }),
  };
}

export const routeControl: ControlHandler = (body: Record<string, unknown>, ctx) => {
  const state = stateOf(ctx);
  const listenerArn = optionalText(body.listenerArn, "listenerArn");
  if (!listenerArn) throw new AwsError("BadRequest", "listenerArn must name a listener");
  if (!state.listeners.has(listenerArn)) throw new AwsError("ListenerNotFound", "One or more listeners not found", 404);
  const request = parseRoutedRequest(body);
  const rule = matchRule(state.rulesOf(listenerArn), request);
  if (!rule) return { listenerArn, rule: null, targetGroups: [] };
  const action = finalAction(rule.actions);
  return {
    listenerArn,
    rule: { ruleArn: rule.arn, priority: String(rule.priority), isDefault: rule.priority === "default" },
    action: action?.Type ?? null,
    ...(action?.FixedResponseConfig && { fixedResponse: action.FixedResponseConfig }),
    ...(action?.RedirectConfig && { redirect: action.RedirectConfig }),
    targetGroups: action
      ? trafficShares(action).map((share) => {
          const group = state.targetGroups.get(share.targetGroupArn);
          return { ...share, ...(group ? { targetGroupName: group.name, ...servingTargets(group, ctx) } : { failOpen: false, targets: [] }) };
        })
      : [],
  };
};
