import type { Service, TaskSet } from "@aws-sdk/client-ecs";
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { roleOf, type Role } from "./roles.js";

/**
 * What a task-set deployment sees when it looks: the service, its task sets, and the actions of the rules it
 * routes with. Plans are made from this and the recorded facts only — never from what a run remembers — so a
 * resumed run plans exactly what is still missing.
 */
export interface ObservedTaskSet {
  id: string;
  /** What the task set calls are given: AWS takes the id or the ARN, moto only the ARN (its quirk). */
  ref: string;
  status: string;
  taskDefinition: string;
  targetGroup?: string;
  scale: number;
  computedDesiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** ECS says STEADY_STATE and every wanted task runs. */
  steady: boolean;
  externalId?: string;
  /** Which part this set plays in deployment `deploymentId` (from its external id); absent for sets slipway did not make. */
  owner?: { deploymentId: string; role: Role };
}

export interface World {
  service?: { arn: string; controller: string; status: string; desiredCount: number };
  taskSets: ObservedTaskSet[];
  /** The gathered rules' actions as they are now, by rule ARN. */
  actions: Record<string, Action[]>;
}

export function observeTaskSet(set: TaskSet): ObservedTaskSet {
  const owner = roleOf(set.externalId);
  const computed = set.computedDesiredCount ?? 0;
  const running = set.runningCount ?? 0;
  return {
    id: set.id ?? "",
    ref: set.taskSetArn ?? set.id ?? "",
    status: set.status ?? "ACTIVE",
    taskDefinition: set.taskDefinition ?? "",
    ...(set.loadBalancers?.[0]?.targetGroupArn !== undefined && { targetGroup: set.loadBalancers[0].targetGroupArn }),
    scale: set.scale?.value ?? 100,
    computedDesiredCount: computed,
    runningCount: running,
    pendingCount: set.pendingCount ?? 0,
    steady: set.stabilityStatus === "STEADY_STATE" && running === computed && (set.pendingCount ?? 0) === 0,
    ...(set.externalId !== undefined && set.externalId !== "" && { externalId: set.externalId }),
    ...(owner && { owner }),
  };
}

export function observeWorld(service: Service | undefined, actions: Record<string, Action[]>): World {
  return {
    ...(service && {
      service: { arn: service.serviceArn ?? "", controller: service.deploymentController?.type ?? "ECS", status: service.status ?? "ACTIVE", desiredCount: service.desiredCount ?? 0 },
    }),
    taskSets: (service?.taskSets ?? []).map(observeTaskSet),
    actions,
  };
}

export const live = (sets: ObservedTaskSet[]) => sets.filter((s) => s.status !== "DRAINING");
export const primaryOf = (world: World) => world.taskSets.find((s) => s.status === "PRIMARY");
export const ownSet = (world: World, deploymentId: string, role: Role) => live(world.taskSets).find((s) => s.owner?.deploymentId === deploymentId && s.owner.role === role);
