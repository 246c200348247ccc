import { randomInt } from "node:crypto";
import type { CreateSecretRequest, DescribeSecretRequest } from "@aws-sdk/client-secrets-manager";
import type { Handler } from "../module.js";
import { invalidParameter, nameScheduledForDeletion, secretExists, validationError } from "./errors.js";
import { requireSecret, secretsState } from "./lookup.js";
import { describeSecret } from "./secret-view.js";
import type { SecretRecord, SecretsRegionState } from "./state.js";
import { validTags } from "./tags.js";
import { addVersion, CURRENT, replayedVersion, valueOf, versionIdFrom } from "./versions.js";

/** CreateSecret and DescribeSecret: a secret's identity, its metadata and its first version. */
const namePattern = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** AWS ends a secret's ARN in "-" and six random characters, so a secret deleted and made again gets a new ARN. */
function arnFor(state: SecretsRegionState, name: string): string {
  let suffix = "";
  while (suffix.length < 6) suffix += suffixAlphabet[randomInt(suffixAlphabet.length)];
  return `${state.arnPrefix}${name}-${suffix}`;
}

function validName(name: string | undefined): string {
  if (name === undefined) throw validationError("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  if (!namePattern.test(name)) throw invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
  return name;
}

export const secretOperations: Record<string, Handler> = {
  CreateSecret(input: CreateSecretRequest, ctx) {
    const state = secretsState(ctx);
    const name = validName(input.Name);
    const value = valueOf(input);
    const versionId = versionIdFrom(input.ClientRequestToken);
    const existing = state.secrets.get(name);
    if (existing) {
      if (existing.deletion) throw nameScheduledForDeletion();
      // A retry of the very call that created it (same token, same value) is answered as that call was.
      const replay = value && input.ClientRequestToken !== undefined ? replayedVersion(existing, versionId, value) : undefined;
      if (replay) return { ARN: existing.arn, Name: existing.name, VersionId: replay.id };
      throw secretExists(name);
    }
    const secret: SecretRecord = {
      arn: arnFor(state, name),
      name,
      ...(input.Description !== undefined && { description: input.Description }),
      ...(input.KmsKeyId !== undefined && { kmsKeyId: input.KmsKeyId }),
      tags: validTags(input.Tags),
      versions: new Map(),
      createdAt: ctx.now,
      lastChangedAt: ctx.now,
    };
    if (value) addVersion(secret, versionId, value, [CURRENT], ctx.now);
    state.secrets.set(name, secret);
    return { ARN: secret.arn, Name: secret.name, ...(value && { VersionId: versionId }) };
  },

  DescribeSecret(input: DescribeSecretRequest, ctx) {
    return describeSecret(requireSecret(secretsState(ctx), input.SecretId));
  },
};
