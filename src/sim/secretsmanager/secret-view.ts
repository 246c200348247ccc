import type { DescribeSecretResponse, SecretListEntry } from "@aws-sdk/client-secrets-manager";
import type { SecretRecord } from "./state.js";
import { versionIdsToStages } from "./versions.js";

/** What DescribeSecret and ListSecrets say of a secret: its metadata, never its value. */
function metadata(secret: SecretRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined && { Description: secret.description }),
    ...(secret.kmsKeyId !== undefined && { KmsKeyId: secret.kmsKeyId }),
    LastChangedDate: secret.lastChangedAt,
    ...(secret.lastAccessedAt && { LastAccessedDate: secret.lastAccessedAt }),
    ...(secret.deletion && { DeletedDate: secret.deletion.requestedAt }),
    ...(secret.tags.length > 0 && { Tags: secret.tags.map((t) => ({ ...t })) }),
    CreatedDate: secret.createdAt,
  };
}

export function describeSecret(secret: SecretRecord): DescribeSecretResponse {
  const stages = versionIdsToStages(secret);
  return { ...metadata(secret), ...(stages && { VersionIdsToStages: stages }) };
}

export function listEntry(secret: SecretRecord): SecretListEntry {
  const stages = versionIdsToStages(secret);
  return { ...metadata(secret), ...(stages && { SecretVersionsToStages: stages }) };
}
