import type { Plan } from "../../../src/engine/plan.js";
import type { ServiceMode } from "../mode.js";
import { revisionLabel } from "../state.js";
import { applyRolling } from "./apply.js";
import { planRolling, refuseUnmanageable, type RollingAction } from "./plan.js";
import { waitForRolling } from "./wait.js";

/**
 * The rolling mode: ECS's deployment controller replaces tasks itself, honouring minimum/maximum percent and
 * the circuit breaker; slipway writes the service once and watches.
 */
export const rollingMode: ServiceMode = {
  name: "rolling",
  controller: "ECS",
  refuseUnmanageable,
  plan: (current, desired, facts) => planRolling(current, desired, facts),
  apply: (plan, current, desired, env) => applyRolling(plan as Plan<RollingAction>, current, desired, env),
  wait: (rollout, env) => waitForRolling(rollout, env),
  async rollback(current, to, env) {
    refuseUnmanageable(current);
    // A rolling service has no traffic of its own to move first (STYLE lesson 8): ECS shifts traffic as it
    // replaces tasks, and the load balancer only sends to tasks that passed their health checks. So rolling
    // back is one update to the known-good revision, with everything else left as it is.
    const input = { cluster: current.cluster, service: current.name, taskDefinition: to };
    const plan: Plan<RollingAction> = {
      step: `service:${current.name}`,
      actions: [{ kind: "update-service", key: `rollback ${current.name} to ${to}`, summary: `roll ${current.name} back to ${revisionLabel(to)}`, params: { input } }],
      diff: [`task definition: ${revisionLabel(current.taskDefinitionArn)} → ${revisionLabel(to)}`],
      notes: [],
    };
    const desired = {
      cluster: input.cluster,
      serviceName: current.name,
      taskDefinitionArn: to,
      desiredCount: current.desiredCount,
      schedulingStrategy: current.schedulingStrategy,
      ...(current.launchType !== undefined && { launchType: current.launchType === "EC2" ? ("EC2" as const) : ("FARGATE" as const) }),
      loadBalancers: current.loadBalancers,
      deployment: current.deployment,
      forceNewDeployment: false,
      definition: current.definition,
      tags: [],
    };
    return applyRolling(plan, current, desired, env);
  },
};
