import type { Simulator } from "../simulator.js";
import type { TaskBehindTarget } from "../links.js";
import type { EcsRegionState } from "./state.js";

/** Moves one region's services and tasks forward to `now`. */
export function advanceRegion(_state: EcsRegionState, _now: Date, _sim: Simulator): void {}

export function taskBehindTarget(_state: EcsRegionState, _taskArn: string): TaskBehindTarget | undefined {
  return undefined;
}
