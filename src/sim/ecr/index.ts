import { PerRegion, type Handler, type ServiceModule } from "../module.js";
import type { ImageRecord, RegistryLink } from "../links.js";
import type { Simulator } from "../simulator.js";

/** Simulated Amazon ECR: repositories and images with tags and digests. */
export class EcrSimulation implements ServiceModule, RegistryLink {
  readonly regions: PerRegion<Map<string, unknown>>;
  readonly operations: Record<string, Handler> = {};

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion(() => new Map());
  }

  resolveImage(_region: string, _imageUri: string): ImageRecord | undefined {
    return undefined;
  }
}
