import type { CallContext } from "../module.js";
import { json, type ForwardedTo, type FrontendReply } from "./frontend-reply.js";
import type { TargetRecord } from "./state.js";
import { drainedAt } from "./target-health.js";

/**
 * A forwarded request that takes time (the simulator's requestSeconds) is routed when it arrives and can still be
 * cut before it completes. Draining does not cut it — a deregistered target gets no new requests but finishes
 * those it has — and neither does a change of weights. It fails with a 502, as from an ALB, when by its completion
 * the target has left its group ("the deregistration delay period elapsed for a request being handled by a target
 * that was deregistered") or the task behind the target has stopped serving: its containers got SIGTERM or an
 * essential one exited ("the target closed the connection while the load balancer had an outstanding request").
 */
export function inFlightFailure(ctx: CallContext, to: ForwardedTo, target: TargetRecord | undefined, completedAt: number): FrontendReply | undefined {
  const where = { targetGroup: to.targetGroupName, target: `${to.id}:${to.port}` };
  const drained = drainedAt(target);
  if (target?.removedAt && target.removedAt.getTime() <= completedAt) {
    return badGateway(`Target ${where.target} left target group '${to.targetGroupName}' without draining while it was handling the request.`, where);
  }
  if (drained !== undefined && drained <= completedAt) {
    return badGateway(`The deregistration delay of target group '${to.targetGroupName}' elapsed while deregistered target ${where.target} was handling the request.`, where);
  }
  const task = to.taskArn ? ctx.sim.ecs.taskBehindTarget(ctx.region, to.taskArn, to.targetGroupArn) : undefined;
  if (task?.stoppedServingAt && task.stoppedServingAt.getTime() <= completedAt) {
    const id = task.taskArn.replace(/^.*\//, "");
    const what = task.stopCode === "EssentialContainerExited" ? `an essential container of task ${id} exited` : `task ${id} was stopped and its containers got SIGTERM`;
    return badGateway(`Target ${where.target} closed the connection while the load balancer had an outstanding request: ${what}.`, { ...where, task: id });
  }
  return undefined;
}

const badGateway = (message: string, where: Record<string, string>): FrontendReply => json(502, { error: "BadGateway", message, ...where });
