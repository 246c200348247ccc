import { PerRegion, type Handler, type ServiceModule } from "../module.js";
import type { ParametersLink } from "../links.js";
import type { Simulator } from "../simulator.js";
import { describeOperations } from "./describe.js";
import { parameterOperations } from "./parameters.js";
import { getMany, readOperations } from "./reads.js";
import { SsmRegionState } from "./state.js";
import { differences } from "./differences.js";

/** Simulated AWS Systems Manager Parameter Store: String, StringList and SecureString parameters with versions. */
export class SsmSimulation implements ServiceModule, ParametersLink {
  readonly regions: PerRegion<SsmRegionState>;
  readonly operations: Record<string, Handler> = {
    ...parameterOperations,
    ...readOperations,
    ...describeOperations,
  };
  readonly differences = differences;

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion((region) => new SsmRegionState(region, sim.account));
  }

  invalidParameters(region: string, names: string[]): string[] {
    return getMany(this.regions.get(region), names).invalid;
  }
}
