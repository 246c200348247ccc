import type { DeleteSecretRequest, RestoreSecretRequest } from "@aws-sdk/client-secrets-manager";
import type { Handler } from "../module.js";
import { invalidParameter, markedForDeletion, secretNotFound } from "./errors.js";
import { findSecret, requireSecret, requireSecretId, secretsState } from "./lookup.js";
import type { SecretsRegionState } from "./state.js";

/**
 * DeleteSecret and RestoreSecret. A delete schedules the secret for deletion after a recovery window (30 days
 * unless told otherwise) during which RestoreSecret brings it back; ForceDeleteWithoutRecovery removes it at once.
 */
const DAY_MS = 86_400_000;

/** Secrets whose recovery window has ended are gone for good, their name free again. */
export function purgeDeleted(state: SecretsRegionState, now: Date): void {
  for (const secret of state.secrets.values()) {
    if (secret.deletion && secret.deletion.purgeAt.getTime() <= now.getTime()) state.secrets.delete(secret.name);
  }
}

export const deletionOperations: Record<string, Handler> = {
  DeleteSecret(input: DeleteSecretRequest, ctx) {
    const state = secretsState(ctx);
    const force = input.ForceDeleteWithoutRecovery === true;
    const days = input.RecoveryWindowInDays;
    if (force && days !== undefined) throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    if (days !== undefined && (days < 7 || days > 30)) throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    const secretId = requireSecretId(input.SecretId);
    const secret = findSecret(state, secretId);
    if (!secret) {
      if (!force) throw secretNotFound();
      // AWS answers a forced delete of a missing secret as done, so that a retried delete succeeds.
      const name = secretId.startsWith(state.arnPrefix) ? secretId.slice(state.arnPrefix.length) : secretId;
      return { ARN: secretId.startsWith(state.arnPrefix) ? secretId : `${state.arnPrefix}${name}`, Name: name, DeletionDate: ctx.now };
    }
    if (force) {
      state.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: ctx.now };
    }
    if (secret.deletion) throw markedForDeletion();
    secret.deletion = { requestedAt: ctx.now, purgeAt: new Date(ctx.now.getTime() + (days ?? 30) * DAY_MS) };
    secret.lastChangedAt = ctx.now;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletion.purgeAt };
  },

  RestoreSecret(input: RestoreSecretRequest, ctx) {
    const secret = requireSecret(secretsState(ctx), input.SecretId);
    if (secret.deletion) {
      delete secret.deletion;
      secret.lastChangedAt = ctx.now;
    }
    return { ARN: secret.arn, Name: secret.name };
  },
};
