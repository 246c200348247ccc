import { PerRegion, type ControlHandler, type Handler, type ServiceModule } from "../module.js";
import type { ImageRecord, RegistryLink } from "../links.js";
import type { Simulator } from "../simulator.js";
import { EcrRegionState } from "./state.js";
import { repositoryOperations } from "./repositories.js";
import { imageOperations } from "./images.js";
import { imageListingOperations } from "./image-listing.js";
import { pushControl } from "./push-control.js";
import { resolveImage } from "./resolve.js";
import { registryAuthOperations } from "./registry-auth.js";
import { scanFindingOperations } from "./scan-findings.js";
import { lifecyclePolicyOperations } from "./lifecycle-policies.js";
import { differences } from "./differences.js";

/** Simulated Amazon ECR: repositories and images with tags and digests. */
export class EcrSimulation implements ServiceModule, RegistryLink {
  readonly regions: PerRegion<EcrRegionState>;
  readonly operations: Record<string, Handler> = {
    ...repositoryOperations,
    ...imageOperations,
    ...imageListingOperations,
    ...registryAuthOperations,
    ...scanFindingOperations,
    ...lifecyclePolicyOperations,
  };
  readonly controls: Record<string, ControlHandler> = { push: pushControl };
  readonly differences = differences;

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion((region) => new EcrRegionState(region, sim.account));
  }

  resolveImage(region: string, imageUri: string): ImageRecord | undefined {
    return resolveImage(this.regions.get(region), imageUri);
  }
}
