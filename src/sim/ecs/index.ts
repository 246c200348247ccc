import { PerRegion, type Handler, type ServiceModule } from "../module.js";
import type { ContainerServiceLink, TaskBehindTarget } from "../links.js";
import type { Simulator } from "../simulator.js";
import { EcsRegionState } from "./state.js";

/** Simulated Amazon ECS: clusters, task definitions, services, tasks, task sets and deployments. */
export class EcsSimulation implements ServiceModule, ContainerServiceLink {
  readonly regions: PerRegion<EcsRegionState>;
  readonly operations: Record<string, Handler>;

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion((region) => new EcsRegionState(region, sim.account));
    this.operations = {};
  }

  tick(_now: Date): void {}

  taskBehindTarget(_region: string, _taskArn: string): TaskBehindTarget | undefined {
    return undefined;
  }
}
