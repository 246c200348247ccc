import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { CallContext } from "../module.js";
import type { RoutedRequest } from "./condition-match.js";
import { stateOf } from "./context.js";
import { pickWeighted, type RoundRobin } from "./frontend-choice.js";
import { redirectLocation } from "./redirect-location.js";
import type { RoutePlan, ServingTarget } from "./route-plan.js";

/**
 * What a listener's frontend answers, given the route plan for the request: the final action acted on. A forward
 * picks one target group by weight and one target in it, and the reply names the revision that would have served
 * the request — the simulator runs no containers, so the reply *is* the service. Redirects and fixed responses are
 * answered as an ALB answers them; a forward with nothing to forward to is a 503, as from an ALB.
 */
export interface FrontendReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** For a forwarded request: the target that took it, so a request that lasts a while can be followed. Not sent. */
  forwardedTo?: ForwardedTo;
}

export interface ForwardedTo {
  targetGroupArn: string;
  targetGroupName: string;
  id: string;
  port: number;
  taskArn?: string;
}

/** The body of a forwarded request's reply. */
export interface ServedBy {
  loadBalancer: string;
  listenerPort: number;
  rule: number | "default";
  targetGroup: string;
  /** The target's "ip:port". */
  target: string;
  /** "family:revision" of the task definition the task runs; absent for targets no ECS task registered. */
  revision?: string;
  taskSet?: string;
  /** The ECS deployment (ecs-svc/…) that started the task, for services of the ECS deployment controller. */
  deployment?: string;
  task?: string;
  image?: string;
  /** For an image pinned by digest: the tag ECR knows for that digest. */
  tag?: string;
  /** Present when no target is healthy and the group sends traffic to unhealthy ones, as an ALB fails open. */
  failOpen?: true;
}

export interface Chooser {
  random: () => number;
  rotation: RoundRobin;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FrontendReply => ({
  status,
  // Pretty-printed so that `curl` output reads as text.
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: `${JSON.stringify(body, null, 2)}\n`,
});

export function frontendReply(ctx: CallContext, plan: RoutePlan | undefined, request: RoutedRequest, chooser: Chooser): FrontendReply {
  if (!plan?.rule || !plan.action) return json(503, { error: "ServiceUnavailable", message: "The listener no longer exists." });
  const where = {
    loadBalancer: stateOf(ctx).loadBalancers.get(plan.listener.loadBalancerArn)?.name ?? "",
    listenerPort: plan.listener.port,
    rule: plan.rule.priority,
  };
  switch (plan.action.Type) {
    case "fixed-response":
      return fixedResponse(plan.action);
    case "redirect":
      return redirect(plan, request);
  }
  const group = pickWeighted(plan.targetGroups, chooser.random);
  if (!group?.targetGroupName) return json(503, { error: "ServiceUnavailable", message: "The rule forwards to no target group with a weight above 0.", ...where });
  const target = chooser.rotation.pick(group.targetGroupArn, group.targets);
  const tgHeader = { "x-slipway-target-group": group.targetGroupName };
  if (!target) {
    return json(503, { error: "ServiceUnavailable", message: `Target group '${group.targetGroupName}' has no healthy targets.`, ...where, targetGroup: group.targetGroupName }, tgHeader);
  }
  const served: ServedBy = { ...where, targetGroup: group.targetGroupName, ...describeTarget(ctx, target), ...(group.failOpen && { failOpen: true }) };
  return {
    ...json(200, served, { ...tgHeader, ...(served.revision && { "x-slipway-revision": served.revision }) }),
    forwardedTo: { targetGroupArn: group.targetGroupArn, targetGroupName: group.targetGroupName, id: target.id, port: target.port, ...(target.taskArn && { taskArn: target.taskArn }) },
  };
}

function fixedResponse(action: Action): FrontendReply {
  const config = action.FixedResponseConfig;
  return { status: Number(config?.StatusCode ?? 200), headers: { "content-type": config?.ContentType ?? "text/plain; charset=utf-8" }, body: config?.MessageBody ?? "" };
}

function redirect(plan: RoutePlan, request: RoutedRequest): FrontendReply {
  const config = plan.action?.RedirectConfig ?? { StatusCode: "HTTP_302" };
  const location = redirectLocation(config, { protocol: plan.listener.protocol, port: plan.listener.port, request });
  return { status: config.StatusCode === "HTTP_301" ? 301 : 302, headers: { location }, body: "" };
}

function describeTarget(ctx: CallContext, target: ServingTarget): Omit<ServedBy, "loadBalancer" | "listenerPort" | "rule" | "targetGroup"> {
  const tag = target.image ? tagOfDigest(ctx, target.image) : undefined;
  return {
    target: `${target.id}:${target.port}`,
    ...(target.taskDefinitionArn && { revision: target.taskDefinitionArn.replace(/^.*:task-definition\//, "") }),
    ...(target.taskSetId && { taskSet: target.taskSetId }),
    ...(target.deploymentId && { deployment: target.deploymentId }),
    ...(target.taskArn && { task: target.taskArn.replace(/^.*\//, "") }),
    ...(target.image && { image: target.image }),
    ...(tag && { tag }),
  };
}

/** A digest says which build runs but not which version; ECR's tags for it do. "latest" only when it is the only one. */
function tagOfDigest(ctx: CallContext, image: string): string | undefined {
  if (!image.includes("@")) return undefined;
  const tags = ctx.sim.ecr.resolveImage(ctx.region, image)?.imageTags ?? [];
  return tags.find((t) => t !== "latest") ?? tags[0];
}
