import type { Service } from "@aws-sdk/client-ecs";
import { executePlan } from "../../../src/engine/executor.js";
import type { Plan } from "../../../src/engine/plan.js";
import type { ModeEnvironment, Rollout } from "../mode.js";
import type { DesiredService, ObservedService } from "../state.js";
import type { RollingAction } from "./plan.js";

/** What a create or update records in the journal: the facts a resumed run needs to watch the same deployment. */
export interface AppliedService {
  serviceArn: string;
  /** The PRIMARY deployment right after the write: the one this run started. */
  deploymentId: string;
  /** ECS's service deployment for it (Service.currentServiceDeployment), when the endpoint names one. */
  serviceDeploymentArn?: string;
  /** What the service ran before the write: where an abort of this deployment returns it. */
  sourceTaskDefinitionArn?: string;
}

function applied(service: Service): AppliedService {
  const primary = service.deployments?.find((d) => d.status === "PRIMARY");
  return { serviceArn: service.serviceArn ?? "", deploymentId: primary?.id ?? "", ...(service.currentServiceDeployment && { serviceDeploymentArn: service.currentServiceDeployment }) };
}

/** One of the rolling plan's writes (the ecs-* modes make the same ones). */
export async function applyRollingAction(action: RollingAction, env: Pick<ModeEnvironment, "ports">): Promise<AppliedService | { tagged: number }> {
  switch (action.kind) {
    case "tag-service":
      await env.ports.services.tag(action.params.serviceArn, action.params.tags);
      return { tagged: action.params.tags.length };
    case "create-service":
      return applied(await env.ports.services.create(action.params.input));
    case "update-service":
      return applied(await env.ports.services.update(action.params.input));
  }
}

/**
 * Makes the plan's one write (journalled: a re-run of the same deployment id reuses the recorded result
 * instead of writing again) and describes the rollout to watch. An empty plan watches the current deployment.
 */
export async function applyRolling(plan: Plan<RollingAction>, current: ObservedService | undefined, desired: DesiredService, env: ModeEnvironment): Promise<Rollout> {
  const source = current?.taskDefinitionArn;
  const executed = await executePlan(plan, async (action) => ({ ...(await applyRollingAction(action, env)), ...(source !== undefined && { sourceTaskDefinitionArn: source }) }), env.execution);
  // Only a create or an update starts a deployment to watch; a tag write alone does not.
  const result = executed.filter((e) => e.action.kind !== "tag-service").at(-1)?.result as AppliedService | undefined;
  const base = {
    cluster: desired.cluster,
    serviceName: desired.serviceName,
    taskDefinitionArn: desired.taskDefinitionArn,
    ...(current?.taskDefinitionArn !== undefined && { sourceTaskDefinitionArn: current.taskDefinitionArn }),
    startedAt: env.ports.clock.now(),
    seenEventIds: current?.eventIds ?? [],
    circuitBreaker: desired.deployment.circuitBreaker,
    stages: [],
  };
  if (result) return { ...base, serviceArn: result.serviceArn, deploymentId: result.deploymentId, ...(result.serviceDeploymentArn && { serviceDeploymentArn: result.serviceDeploymentArn }), changed: true };
  return { ...base, serviceArn: current?.arn ?? "", deploymentId: current?.primary?.id ?? "", changed: false };
}
