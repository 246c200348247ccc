import { PerRegion, type Handler, type ServiceModule } from "../module.js";
import type { ContainerServiceLink, TaskBehindTarget } from "../links.js";
import type { Simulator } from "../simulator.js";
import { EcsRegionState } from "./state.js";
import { capacityProviderOperations } from "./capacity-providers.js";
import { clusterOperations } from "./clusters.js";
import { clusterUpdateOperations } from "./cluster-updates.js";
import { accountSettingOperations } from "./account-settings.js";
import { taskDefinitionOperations } from "./taskdefs.js";
import { tagOperations } from "./tags.js";
import { serviceOperations } from "./services.js";
import { taskSetOperations } from "./task-sets.js";
import { taskOperations } from "./tasks.js";
import { runTaskOperations } from "./run-task.js";
import { serviceDeploymentOperations } from "./service-deployments.js";
import { nativeDeploymentOperations } from "./native-operations.js";
import { advanceRegion, taskBehindTarget } from "./scheduler.js";
import { differences } from "./differences.js";

/** Simulated Amazon ECS: clusters, capacity providers, task definitions, services, tasks, task sets and deployments. */
export class EcsSimulation implements ServiceModule, ContainerServiceLink {
  readonly regions: PerRegion<EcsRegionState>;
  readonly operations: Record<string, Handler> = {
    ...clusterOperations,
    ...clusterUpdateOperations,
    ...accountSettingOperations,
    ...capacityProviderOperations,
    ...taskDefinitionOperations,
    ...tagOperations,
    ...serviceOperations,
    ...taskSetOperations,
    ...taskOperations,
    ...runTaskOperations,
    ...serviceDeploymentOperations,
    ...nativeDeploymentOperations,
  };
  readonly differences = differences;

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion((region) => new EcsRegionState(region, sim.account));
  }

  tick(now: Date): void {
    for (const [, state] of this.regions.entries()) advanceRegion(state, now, this.sim);
  }

  taskBehindTarget(region: string, taskArn: string, targetGroupArn?: string): TaskBehindTarget | undefined {
    return taskBehindTarget(this.regions.get(region), taskArn, targetGroupArn);
  }
}
