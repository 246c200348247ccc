import { invalidParameter } from "../aws-error.js";
import { startDeployment, workloadOf } from "./deployments.js";
import type { ControllerType, ServiceRecord, TaskSetRecord } from "./service-model.js";
import { isLive } from "./task-lifecycle.js";
import type { Sched } from "./world.js";

/**
 * UpdateService's deploymentController. AWS now lets a service move between ECS and EXTERNAL, but refuses while
 * the move would be ambiguous; these are its documented refusals (troubleshooting-deployment-controller-migration).
 * Moving ECS → EXTERNAL turns each deployment into a task set; EXTERNAL → ECS turns the one primary task set into
 * the PRIMARY deployment. Tasks keep running either way: they only change owner.
 */
export function migrateController(s: Sched, service: ServiceRecord, to: ControllerType, at: Date): void {
  if (to === "CODE_DEPLOY" || service.controller === "CODE_DEPLOY") {
    throw invalidParameter("The simulator does not support the CODE_DEPLOY deployment controller; use ECS or EXTERNAL.");
  }
  if (service.controller === "EXTERNAL") {
    if (service.taskSets.length > 1) {
      throw invalidParameter("Updating the deployment controller is not supported when there are multiple tasksets in the service. Please ensure your service has only one taskset and try again.");
    }
    const primary = service.taskSets.find((t) => t.status === "PRIMARY");
    if (!primary) {
      throw invalidParameter("Updating the deployment controller requires a primary taskset in the service. Please ensure your service has a primary taskset and try again.");
    }
    service.controller = "ECS";
    service.taskSets = [];
    const deployment = startDeployment(s, service, primary, at);
    for (const task of s.world.tasksOf(service.arn)) {
      if (task.startedBy !== primary.id) continue;
      task.startedBy = deployment.id;
      task.owner = { kind: "deployment", id: deployment.id };
    }
    return;
  }
  const tasks = [...s.world.tasksOf(service.arn)];
  service.taskSets = service.deployments.map((d): TaskSetRecord => {
    const live = tasks.filter((t) => t.startedBy === d.id && isLive(t)).length;
    for (const task of tasks) if (task.startedBy === d.id) task.owner = { kind: "taskSet", id: d.id };
    return {
      ...workloadOf(d),
      id: d.id,
      arn: s.state.arn(`task-set/${service.clusterName}/${service.name}/${d.id}`),
      status: d.status === "PRIMARY" ? "PRIMARY" : "ACTIVE",
      scale: { unit: "PERCENT", value: d.status === "PRIMARY" || service.desiredCount === 0 ? 100 : Math.min(100, (live / service.desiredCount) * 100) },
      computedDesiredCount: d.desiredCount,
      stabilityStatus: "STABILIZING",
      stabilityStatusAt: at,
      createdAt: d.createdAt,
      updatedAt: at,
    };
  });
  service.deployments = [];
  service.controller = "EXTERNAL";
}
