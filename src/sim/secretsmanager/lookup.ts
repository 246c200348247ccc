import type { CallContext } from "../module.js";
import { markedForDeletion, secretNotFound, validationError } from "./errors.js";
import type { SecretRecord, SecretsRegionState } from "./state.js";

export function secretsState(ctx: CallContext): SecretsRegionState {
  return ctx.sim.secretsmanager.regions.get(ctx.region);
}

/**
 * A SecretId → the secret. AWS takes the name, the full ARN, or a partial ARN (the ARN without its random
 * six-character suffix). A full ARN is tried before reading the tail as a name, because a name may itself end
 * in "-" and six characters.
 */
export function findSecret(state: SecretsRegionState, secretId: string): SecretRecord | undefined {
  const byName = state.secrets.get(secretId);
  if (byName) return byName;
  if (!secretId.startsWith(state.arnPrefix)) return undefined;
  for (const secret of state.secrets.values()) if (secret.arn === secretId) return secret;
  return state.secrets.get(secretId.slice(state.arnPrefix.length));
}

export function requireSecretId(secretId: string | undefined): string {
  if (!secretId) throw validationError("1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
  return secretId;
}

export function requireSecret(state: SecretsRegionState, secretId: string | undefined): SecretRecord {
  const secret = findSecret(state, requireSecretId(secretId));
  if (!secret) throw secretNotFound();
  return secret;
}

/** A secret scheduled for deletion keeps its metadata readable but refuses its value, old or new. */
export function requireLive(secret: SecretRecord): SecretRecord {
  if (secret.deletion) throw markedForDeletion();
  return secret;
}
