import { PerRegion, type ControlHandler, type Handler, type ServiceModule } from "../module.js";
import type { Simulator } from "../simulator.js";
import { deregisterScalableTarget } from "./deregister.js";
import { describeScalableTargets } from "./describe.js";
import { activeService, parseServiceResourceId } from "./ecs-link.js";
import { registerScalableTarget } from "./register.js";
import { scaleControl } from "./scale-control.js";
import { AutoScalingRegionState } from "./state.js";
import { differences } from "./differences.js";

/**
 * Simulated Application Auto Scaling for ECS services: scalable targets (register, describe, deregister), and a
 * control that scales a service as a policy would. Scaling policies, scheduled actions and tags' own operations
 * are not simulated.
 */
export class ApplicationAutoScalingSimulation implements ServiceModule {
  readonly regions: PerRegion<AutoScalingRegionState>;
  readonly operations: Record<string, Handler> = {
    RegisterScalableTarget: registerScalableTarget,
    DescribeScalableTargets: describeScalableTargets,
    DeregisterScalableTarget: deregisterScalableTarget,
  };
  readonly controls: Record<string, ControlHandler> = { scale: scaleControl };
  readonly differences = differences;

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion((region) => new AutoScalingRegionState(region, sim.account));
  }

  /** Deleting an ECS service deregisters its scalable target, as on AWS: a target whose service is gone is dropped. */
  tick(): void {
    for (const [region, state] of this.regions.entries()) {
      for (const [key, target] of state.targets) {
        const ref = parseServiceResourceId(target.resourceId);
        if (!ref || !activeService(this.sim, region, ref)) state.targets.delete(key);
      }
    }
  }
}
