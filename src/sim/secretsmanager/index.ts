import { AwsError } from "../aws-error.js";
import { PerRegion, type Handler, type ServiceModule } from "../module.js";
import type { SecretRequest, SecretsLink } from "../links.js";
import type { Simulator } from "../simulator.js";
import { deletionOperations, purgeDeleted } from "./deletion.js";
import { listingOperations } from "./listing.js";
import { secretOperations } from "./secrets.js";
import { SecretsRegionState } from "./state.js";
import { tagOperations } from "./tags.js";
import { readSecretValue, valueOperations } from "./values.js";
import { differences } from "./differences.js";

/** Simulated AWS Secrets Manager: secrets with versions and staging labels, tags, and deletion with recovery. */
export class SecretsManagerSimulation implements ServiceModule, SecretsLink {
  readonly regions: PerRegion<SecretsRegionState>;
  readonly operations: Record<string, Handler> = {
    ...secretOperations,
    ...valueOperations,
    ...listingOperations,
    ...tagOperations,
    ...deletionOperations,
  };
  readonly differences = differences;

  constructor(readonly sim: Simulator) {
    this.regions = new PerRegion((region) => new SecretsRegionState(region, sim.account));
  }

  tick(now: Date): void {
    for (const [, state] of this.regions.entries()) purgeDeleted(state, now);
  }

  fetchSecretString(region: string, request: SecretRequest, at: Date): { value: string } | { error: { code: string; message: string } } {
    try {
      const { version } = readSecretValue(this.regions.get(region), { SecretId: request.secretId, VersionStage: request.versionStage, VersionId: request.versionId }, at);
      return { value: version.secretString ?? "" };
    } catch (error) {
      if (error instanceof AwsError) return { error: { code: error.code, message: error.message } };
      throw error;
    }
  }
}
