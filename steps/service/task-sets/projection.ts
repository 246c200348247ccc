import type { TaskSetAction } from "./actions.js";
import { roleOf } from "./roles.js";
import type { World } from "./world.js";

/**
 * The world as it would be once `action` succeeded (and every set it starts became steady): how a dry run plans
 * each stage against the stages before it without making them. Pure.
 */
export function project(world: World, action: TaskSetAction): World {
  const next: World = { ...world, taskSets: world.taskSets.map((s) => ({ ...s })), actions: { ...world.actions } };
  switch (action.kind) {
    case "create-service":
      next.service = { arn: `(new service ${action.params.input.serviceName ?? ""})`, controller: "EXTERNAL", status: "ACTIVE", desiredCount: action.params.input.desiredCount ?? 0 };
      return next;
    case "suspend-scale-in":
    case "update-service-settings":
    case "tag-service":
      return next;
    case "update-desired-count":
      if (next.service) next.service = { ...next.service, desiredCount: action.params.desiredCount };
      return next;
    case "create-task-set": {
      const input = action.params.input;
      const owner = roleOf(input.externalId);
      const scale = input.scale?.value ?? 100;
      const count = Math.ceil((scale / 100) * (next.service?.desiredCount ?? 0));
      next.taskSets.push({
        id: `(new ${action.params.role} set)`,
        ref: `(new ${action.params.role} set)`,
        status: "ACTIVE",
        taskDefinition: input.taskDefinition ?? "",
        ...(input.loadBalancers?.[0]?.targetGroupArn !== undefined && { targetGroup: input.loadBalancers[0].targetGroupArn }),
        scale,
        computedDesiredCount: count,
        runningCount: count,
        pendingCount: 0,
        steady: true,
        ...(input.externalId !== undefined && { externalId: input.externalId }),
        ...(owner && { owner }),
      });
      return next;
    }
    case "scale-task-set":
      for (const s of next.taskSets) if (s.ref === action.params.taskSetId) s.scale = action.params.percent;
      return next;
    case "make-primary":
      for (const s of next.taskSets) if (s.status === "PRIMARY" || s.ref === action.params.taskSetId) s.status = s.ref === action.params.taskSetId ? "PRIMARY" : "ACTIVE";
      return next;
    case "delete-task-set":
      next.taskSets = next.taskSets.filter((s) => s.ref !== action.params.taskSetId);
      return next;
    case "set-weights":
      next.actions[action.params.rule.arn] = action.params.actions;
      return next;
  }
}
