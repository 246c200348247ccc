import { AwsError } from "../aws-error.js";
import type { ControlHandler } from "../module.js";
import type { RoutedRequest } from "./condition-match.js";
import { stateOf } from "./context.js";
import { planRoute } from "./route-plan.js";

/**
 * POST /_sim/elbv2/route — not an AWS API. Answers "who would serve this request?": the rule that matches, the
 * forward action's target groups with their share of traffic, and for each group the targets that would take the
 * request and the ECS task, task definition and task set or deployment behind each (worked out in route-plan.ts,
 * which the HTTP frontends share).
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

export const routeControl: ControlHandler = (body: Record<string, unknown>, ctx) => {
  const listenerArn = optionalText(body.listenerArn, "listenerArn");
  if (!listenerArn) throw new AwsError("BadRequest", "listenerArn must name a listener");
  // An unknown listener is reported before a malformed request, as before the plan was shared.
  const plan = stateOf(ctx).listeners.has(listenerArn) ? planRoute(ctx, listenerArn, parseRoutedRequest(body)) : undefined;
  if (!plan) throw new AwsError("ListenerNotFound", "One or more listeners not found", 404);
  const { rule, action } = plan;
  if (!rule) return { listenerArn, rule: null, targetGroups: [] };
  return {
    listenerArn,
    rule: {
      ruleArn: rule.arn,
      priority: String(rule.priority),
      isDefault: rule.priority === "default",
      // While a change of the rule's actions propagates, the plan follows the previous ones until then.
      ...(rule.propagating && ctx.now.getTime() < rule.propagating.until.getTime() && { previousActionsUntil: rule.propagating.until.toISOString() }),
    },
    action: action?.Type ?? null,
    ...(action?.FixedResponseConfig && { fixedResponse: action.FixedResponseConfig }),
    ...(action?.RedirectConfig && { redirect: action.RedirectConfig }),
    targetGroups: plan.targetGroups,
  };
};
