import type { Simulator } from "../simulator.js";
import type { EcsRegionState } from "./state.js";
import type { ServiceDeploymentRecord, ServiceRecord, ServiceRevisionRecord, TaskRecord } from "./service-model.js";
import { Timeline } from "./timeline.js";

/**
 * What the service scheduler keeps beside a region's ECS state: the timeline of due changes, each service's
 * tasks, and the service deployments and revisions (kept by ARN because they outlive their service for a while).
 * Held in a WeakMap so the region state itself stays the shared, plain record the other ECS modules read.
 */
export class SchedulerWorld {
  readonly timeline = new Timeline();
  /** service ARN → its tasks that have not been purged yet. */
  readonly tasksByService = new Map<string, Set<TaskRecord>>();
  readonly revisions = new Map<string, ServiceRevisionRecord>();
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  /** deployment id → the revision it runs (deployments are dropped from a service once drained; this is not). */
  readonly revisionOfDeployment = new Map<string, string>();
  private nextIp = 0;

  /** A private IPv4 address in 10.0.0.0/16 for a task's ENI; unique within the region for a long while. */
  allocateIp(): string {
    const n = this.nextIp++ % 65_000;
    return `10.0.${Math.floor(n / 250)}.${(n % 250) + 4}`;
  }

  tasksOf(serviceArn: string): Set<TaskRecord> {
    let set = this.tasksByService.get(serviceArn);
    if (!set) {
      set = new Set();
      this.tasksByService.set(serviceArn, set);
    }
    return set;
  }
}

const worlds = new WeakMap<EcsRegionState, SchedulerWorld>();

export function worldOf(state: EcsRegionState): SchedulerWorld {
  let world = worlds.get(state);
  if (!world) {
    world = new SchedulerWorld();
    worlds.set(state, world);
  }
  return world;
}

/** Everything a scheduling step needs: the region's state, the scheduler's world and the simulator. */
export interface Sched {
  state: EcsRegionState;
  world: SchedulerWorld;
  sim: Simulator;
}

export function schedOf(state: EcsRegionState, sim: Simulator): Sched {
  return { state, world: worldOf(state), sim };
}

/** The service that started the task; undefined for a standalone task (RunTask) or a service since purged. */
export function serviceOfTask(s: Sched, task: TaskRecord): ServiceRecord | undefined {
  return task.serviceArn !== undefined ? s.state.services.get(task.serviceArn) : undefined;
}
