import type { ServiceRecord, TaskRecord, TaskStatus } from "./service-model.js";
import type { EcsRegionState } from "./state.js";

/** What a cluster description counts, and what keeps a cluster from being deleted: its services and tasks. */
export interface ClusterCounts {
  activeServicesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
}

const pendingStatuses: TaskStatus[] = ["PROVISIONING", "PENDING", "ACTIVATING"];

/** The cluster's ACTIVE services; a deleted service goes DRAINING, then INACTIVE, and no longer counts. */
export function activeServicesIn(state: EcsRegionState, clusterArn: string): ServiceRecord[] {
  return [...state.services.values()].filter((s) => s.clusterArn === clusterArn && s.status === "ACTIVE");
}

/** Services that still exist: ACTIVE ones, and DRAINING ones whose tasks are still being stopped. */
export function remainingServicesIn(state: EcsRegionState, clusterArn: string): ServiceRecord[] {
  return [...state.services.values()].filter((s) => s.clusterArn === clusterArn && s.status !== "INACTIVE");
}

function tasksIn(state: EcsRegionState, clusterArn: string): TaskRecord[] {
  return [...state.tasks.values()].filter((t) => t.clusterArn === clusterArn);
}

export function clusterCounts(state: EcsRegionState, clusterArn: string): ClusterCounts {
  const tasks = tasksIn(state, clusterArn);
  return {
    activeServicesCount: activeServicesIn(state, clusterArn).length,
    runningTasksCount: tasks.filter((t) => t.lastStatus === "RUNNING").length,
    pendingTasksCount: tasks.filter((t) => pendingStatuses.includes(t.lastStatus)).length,
  };
}

/** Tasks that keep a cluster from being deleted: any not yet STOPPED. */
export function liveTasksIn(state: EcsRegionState, clusterArn: string): number {
  return tasksIn(state, clusterArn).filter((t) => t.lastStatus !== "STOPPED").length;
}
