import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { CallContext } from "../module.js";
import type { RoutedRequest } from "./condition-match.js";
import { stateOf } from "./context.js";
import { finalAction, matchRule, trafficShares, type TrafficShare } from "./routing.js";
import { servedActions } from "./propagation.js";
import { healthOf, type ApiHealthState } from "./target-health.js";
import type { ListenerRecord, RuleRecord, TargetGroupRecord } from "./state.js";

/**
 * "Who would serve this request, now?" for one listener: the rule that matches, its final action and, for a
 * forward, every target group with its share of traffic and the targets that would take the request, with the ECS
 * task behind each. One answer for both the route control (which shows it) and the HTTP frontends (which act on
 * it), so the two can never disagree. Health, and the actions a rule forwards by while a change of them propagates,
 * are read at ctx.now, the simulator's current time.
 */
export interface ServingTarget {
  id: string;
  port: number;
  health: ApiHealthState;
  taskArn?: string;
  taskDefinitionArn?: string;
  serviceName?: string;
  clusterArn?: string;
  lastStatus?: string;
  taskSetId?: string;
  deploymentId?: string;
  image?: string;
}

export interface GroupRoute extends TrafficShare {
  /** Absent when the group no longer exists. */
  targetGroupName?: string;
  /** True when no target is healthy and the group sends traffic to its unhealthy ones instead, as an ALB does. */
  failOpen: boolean;
  targets: ServingTarget[];
}

export interface RoutePlan {
  listener: ListenerRecord;
  /** Undefined only if the listener has lost its default rule, which no API call can do. */
  rule?: RuleRecord;
  action?: Action;
  targetGroups: GroupRoute[];
}

/** The targets that would take traffic: the healthy ones, or — failing open, as an ALB does — all unhealthy ones. */
function servingTargets(group: TargetGroupRecord, ctx: CallContext): Pick<GroupRoute, "failOpen" | "targets"> {
  const withHealth = [...group.targets.values()].map((t) => ({ target: t, health: healthOf(group, t, ctx.now) }));
  const healthy = withHealth.filter((t) => t.health.State === "healthy" || t.health.State === "unavailable");
  const unhealthy = withHealth.filter((t) => t.health.State === "unhealthy");
  const failOpen = healthy.length === 0 && unhealthy.length > 0;
  const serving = failOpen ? unhealthy : healthy;
  return {
    failOpen,
    targets: serving.map(({ target, health }) => {
      const task = target.taskArn ? ctx.sim.ecs.taskBehindTarget(ctx.region, target.taskArn, group.arn) : undefined;
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
          ...(task.image && { image: task.image }),
        }),
      };
    }),
  };
}

/** The plan for `request` on the listener, or undefined when the region has no such listener. */
export function planRoute(ctx: CallContext, listenerArn: string, request: RoutedRequest): RoutePlan | undefined {
  const state = stateOf(ctx);
  const listener = state.listeners.get(listenerArn);
  if (!listener) return undefined;
  const rule = matchRule(state.rulesOf(listenerArn), request);
  // The rule matches as configured now; while a change of its actions propagates it forwards by the previous ones.
  const action = rule ? finalAction(servedActions(rule, ctx.now)) : undefined;
  const targetGroups = action
    ? trafficShares(action).map((share): GroupRoute => {
        const group = state.targetGroups.get(share.targetGroupArn);
        return { ...share, ...(group ? { targetGroupName: group.name, ...servingTargets(group, ctx) } : { failOpen: false, targets: [] }) };
      })
    : [];
  return { listener, ...(rule && { rule }), ...(action && { action }), targetGroups };
}
