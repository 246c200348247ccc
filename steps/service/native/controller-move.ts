import type { Service, UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../../src/errors.js";
import type { Action } from "../../../src/engine/plan.js";
import { networkOf, revisionLabel, type ObservedService } from "../state.js";

export type MoveControllerAction = Action<"move-controller", { input: UpdateServiceCommandInput }>;

/**
 * A service slipway deployed with task sets (mode canary or blue-green, the EXTERNAL controller) moving to ECS's own
 * strategies: AWS lets UpdateService change the controller from EXTERNAL to ECS in place ("Update service
 * parameters"), turning the one primary task set into the service's deployment — its tasks keep running and keep
 * serving — and refuses while more than one task set exists or none is primary. So the move is one write, planned
 * with the service as it will be after it: what ECS then runs is the primary task set's revision, group and network.
 */
export function planControllerMove(service: Service, current: ObservedService): { action: MoveControllerAction; after: ObservedService; diff: string } {
  const sets = service.taskSets ?? [];
  const primary = sets.find((t) => t.status === "PRIMARY");
  if (sets.length > 1) {
    throw new ConflictError(
      `The service "${current.name}" has ${sets.length} task sets: a task-set deployment has not finished. ECS changes a service's deployment controller only with one task set left.`,
      "Finish that deployment (slipway resume <deployment>) or roll it back (slipway abort <deployment>), then deploy again: the move to ECS's own strategy is planned from the one primary task set.",
    );
  }
  if (!primary) {
    throw new ConflictError(`The EXTERNAL service "${current.name}" has no primary task set, so ECS has no deployment to turn it into.`, "Deploy it once with its task-set mode (mode: canary or blue-green) so it has a primary task set, or delete it and let slipway create it with the ecs-* mode.");
  }
  const vpc = primary.networkConfiguration?.awsvpcConfiguration;
  const after: ObservedService = {
    ...current,
    controller: "ECS",
    ...(primary.taskDefinition !== undefined && { taskDefinitionArn: primary.taskDefinition }),
    ...(primary.launchType !== undefined && { launchType: primary.launchType }),
    ...(vpc && { network: networkOf(vpc) }),
    loadBalancers: (primary.loadBalancers ?? []).map((lb) => ({ targetGroupArn: lb.targetGroupArn ?? "", containerName: lb.containerName ?? "", containerPort: lb.containerPort ?? 0 })),
    definition: {
      ...current.definition,
      ...(primary.capacityProviderStrategy && primary.capacityProviderStrategy.length > 0 && { capacityProviderStrategy: primary.capacityProviderStrategy }),
      ...(primary.platformVersion !== undefined && primary.platformVersion !== "LATEST" && { platformVersion: primary.platformVersion }),
      ...(primary.serviceRegistries && primary.serviceRegistries.length > 0 && { serviceRegistries: primary.serviceRegistries }),
    },
  };
  const input: UpdateServiceCommandInput = { cluster: current.cluster, service: current.name, deploymentController: { type: "ECS" } };
  return {
    action: { kind: "move-controller", key: `controller ${current.name} EXTERNAL → ECS`, summary: `move ${current.name} from the EXTERNAL controller to ECS's (its primary task set, ${revisionLabel(primary.taskDefinition)}, becomes the service's deployment; its tasks keep serving)`, params: { input } },
    after,
    diff: `deployment controller: EXTERNAL (task sets) → ECS (the primary task set ${primary.id ?? "?"} running ${revisionLabel(primary.taskDefinition)} becomes its deployment; no task is replaced by the move)`,
  };
}
