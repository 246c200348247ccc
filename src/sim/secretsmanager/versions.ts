import { randomUUID } from "node:crypto";
import { invalidParameter, stageNotOnVersion, tokenInUse, validationError, valueNotFoundForStage, valueNotFoundForVersion } from "./errors.js";
import type { SecretRecord, SecretValue, SecretVersion } from "./state.js";

/**
 * A secret's versions and their staging labels. A label names one version at a time, so giving it to a new
 * version takes it from the old one; AWSCURRENT's old holder gets AWSPREVIOUS, and the version that held
 * AWSPREVIOUS before is left without labels: deprecated, still readable by its id, listed only on request.
 */
export const CURRENT = "AWSCURRENT";
const PREVIOUS = "AWSPREVIOUS";

/** Exactly one of SecretString and SecretBinary, or neither (a secret created without a value). */
export function valueOf(input: { SecretString?: string | undefined; SecretBinary?: unknown }): SecretValue | undefined {
  const binary = input.SecretBinary;
  if (input.SecretString !== undefined && binary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  if (typeof binary === "string") return { secretBinary: binary };
  return undefined;
}

/** AWS keeps ClientRequestToken to 32..64 characters; it becomes the new version's id. */
export function versionIdFrom(token: string | undefined): string {
  if (token === undefined) return randomUUID();
  if (token.length < 32 || token.length > 64) {
    const bound = token.length < 32 ? "greater than or equal to 32" : "less than or equal to 64";
    throw validationError(`1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length ${bound}`);
  }
  return token;
}

const sameValue = (a: SecretValue, b: SecretValue) => a.secretString === b.secretString && a.secretBinary === b.secretBinary;

/**
 * ClientRequestToken idempotency: a retry with the token of an existing version and the same value is that
 * version; the same token with another value is refused, since versions never change.
 */
export function replayedVersion(secret: SecretRecord, versionId: string, value: SecretValue): SecretVersion | undefined {
  const existing = secret.versions.get(versionId);
  if (!existing) return undefined;
  if (!sameValue(existing, value)) throw tokenInUse(versionId, secret.arn);
  return existing;
}

function versionWithStage(secret: SecretRecord, stage: string): SecretVersion | undefined {
  for (const version of secret.versions.values()) if (version.stages.includes(stage)) return version;
  return undefined;
}

/** Adds a version carrying `stages` (AWSCURRENT is added when it is the secret's first version). */
export function addVersion(secret: SecretRecord, versionId: string, value: SecretValue, stages: string[], now: Date): SecretVersion {
  const labels = secret.versions.size === 0 && !stages.includes(CURRENT) ? [...stages, CURRENT] : [...new Set(stages)];
  const oldCurrent = labels.includes(CURRENT) ? versionWithStage(secret, CURRENT) : undefined;
  for (const version of secret.versions.values()) version.stages = version.stages.filter((s) => !labels.includes(s));
  if (oldCurrent) {
    for (const version of secret.versions.values()) version.stages = version.stages.filter((s) => s !== PREVIOUS);
    oldCurrent.stages.push(PREVIOUS);
  }
  const version: SecretVersion = { id: versionId, ...value, stages: labels, createdAt: now };
  secret.versions.set(versionId, version);
  secret.lastChangedAt = now;
  return version;
}

/** GetSecretValue's choice: a VersionId (with a VersionStage that must be on it), else a stage, AWSCURRENT by default. */
export function selectVersion(secret: SecretRecord, versionId: string | undefined, versionStage: string | undefined): SecretVersion {
  if (versionId !== undefined) {
    const version = secret.versions.get(versionId);
    if (!version) throw valueNotFoundForVersion(versionId);
    if (versionStage !== undefined && !version.stages.includes(versionStage)) throw stageNotOnVersion();
    return version;
  }
  const stage = versionStage ?? CURRENT;
  const version = versionWithStage(secret, stage);
  if (!version) throw valueNotFoundForStage(stage);
  return version;
}

/** Labelled versions only, as DescribeSecret and ListSecrets report them. */
export function versionIdsToStages(secret: SecretRecord): Record<string, string[]> | undefined {
  const labelled = [...secret.versions.values()].filter((v) => v.stages.length > 0);
  return labelled.length > 0 ? Object.fromEntries(labelled.map((v) => [v.id, [...v.stages]])) : undefined;
}
