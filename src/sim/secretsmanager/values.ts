import type { GetSecretValueRequest, ListSecretVersionIdsRequest, PutSecretValueRequest, SecretVersionsListEntry } from "@aws-sdk/client-secrets-manager";
import type { Handler } from "../module.js";
import { paginate } from "../paging.js";
import { invalidParameter, secretsPaging } from "./errors.js";
import { requireLive, requireSecret, secretsState } from "./lookup.js";
import type { SecretRecord, SecretsRegionState, SecretVersion } from "./state.js";
import { addVersion, CURRENT, replayedVersion, selectVersion, valueOf, versionIdFrom } from "./versions.js";

/** Reading and writing a secret's value, and listing its versions. */
const startOfDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

interface ValueRequest {
  SecretId?: string | undefined;
  VersionId?: string | undefined;
  VersionStage?: string | undefined;
}

/** GetSecretValue's rules, shared with ECS fetching a task's secrets: the version read, noted as accessed. */
export function readSecretValue(state: SecretsRegionState, request: ValueRequest, now: Date): { secret: SecretRecord; version: SecretVersion } {
  const secret = requireLive(requireSecret(state, request.SecretId));
  const version = selectVersion(secret, request.VersionId, request.VersionStage);
  secret.lastAccessedAt = startOfDay(now);
  version.lastAccessedAt = secret.lastAccessedAt;
  return { secret, version };
}

function versionEntry(version: SecretVersion): SecretVersionsListEntry {
  return {
    VersionId: version.id,
    VersionStages: [...version.stages],
    ...(version.lastAccessedAt && { LastAccessedDate: version.lastAccessedAt }),
    CreatedDate: version.createdAt,
  };
}

export const valueOperations: Record<string, Handler> = {
  GetSecretValue(input: GetSecretValueRequest, ctx) {
    const { secret, version } = readSecretValue(secretsState(ctx), input, ctx.now);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.secretString !== undefined && { SecretString: version.secretString }),
      ...(version.secretBinary !== undefined && { SecretBinary: version.secretBinary }),
      VersionStages: [...version.stages],
      CreatedDate: version.createdAt,
    };
  },

  PutSecretValue(input: PutSecretValueRequest, ctx) {
    const secret = requireLive(requireSecret(secretsState(ctx), input.SecretId));
    const value = valueOf(input);
    if (!value) throw invalidParameter("You must provide either SecretString or SecretBinary.");
    const versionId = versionIdFrom(input.ClientRequestToken);
    const version = replayedVersion(secret, versionId, value) ?? addVersion(secret, versionId, value, input.VersionStages ?? [CURRENT], ctx.now);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
  },

  ListSecretVersionIds(input: ListSecretVersionIdsRequest, ctx) {
    const secret = requireSecret(secretsState(ctx), input.SecretId);
    // Creation order; the position among all versions keys the pages, so they stay put while versions are added.
    const keyed = [...secret.versions.values()]
      .map((version, i) => ({ version, key: String(i).padStart(6, "0") }))
      .filter((v) => input.IncludeDeprecated === true || v.version.stages.length > 0);
    const page = paginate(keyed, (v) => v.key, { maxResults: input.MaxResults, nextToken: input.NextToken }, { max: 100, defaultSize: 100, errors: secretsPaging });
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: page.items.map((v) => versionEntry(v.version)),
      ...(page.nextToken && { NextToken: page.nextToken }),
    };
  },
};
