import { randomBytes } from "node:crypto";
import type { DeleteParameterRequest, DeleteParametersRequest, ParameterTier, ParameterType, PutParameterRequest, Tag } from "@aws-sdk/client-ssm";
import type { Handler } from "../module.js";
import { parameterExists, parameterNotFound, patternMismatch, validationError } from "./errors.js";
import { findParameter, ssmState } from "./lookup.js";
import { parameterArn, parameterKey, validName } from "./names.js";
import type { ParameterRecord, ParameterVersion } from "./state.js";

/**
 * PutParameter, DeleteParameter and DeleteParameters. Every put of an existing name (with Overwrite) is a new
 * version; settings not given again carry over from the previous one. Parameter Store keeps 100 versions and
 * drops the oldest to make room.
 */
const types: ParameterType[] = ["String", "StringList", "SecureString"];
const tiers: ParameterTier[] = ["Standard", "Advanced", "Intelligent-Tiering"];
const dataTypes = ["text", "aws:ec2:image", "aws:ssm:integration"];
const maxVersions = 100;
const maxStandardValue = 4096;

function checkValue(value: string | undefined, tier: ParameterTier, allowedPattern: string | undefined): string {
  // The messages name the field, never the value: it may be a secret.
  if (!value) throw validationError("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
  if (tier === "Standard" && Buffer.byteLength(value, "utf8") > maxStandardValue) {
    throw validationError("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
  }
  if (allowedPattern !== undefined && !patternOf(allowedPattern).test(value)) throw patternMismatch(allowedPattern);
  return value;
}

function patternOf(allowedPattern: string): RegExp {
  try {
    return new RegExp(allowedPattern);
  } catch {
    throw validationError(`Parameter allowedPattern is not a valid regular expression: ${allowedPattern}`);
  }
}

function newVersion(input: PutParameterRequest, previous: ParameterVersion | undefined, now: Date): ParameterVersion {
  const type = input.Type ?? previous?.type;
  if (!type) throw validationError("A parameter type is required when you create a parameter.");
  if (!types.includes(type)) throw validationError(`1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
  const requestedTier = input.Tier ?? previous?.tier ?? "Standard";
  if (!tiers.includes(requestedTier)) throw validationError(`1 validation error detected: Value '${requestedTier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]`);
  // Intelligent-Tiering picks Standard for a value that fits it, which every simulated value does unless large.
  const tier: ParameterTier = requestedTier === "Intelligent-Tiering" ? (Buffer.byteLength(input.Value ?? "", "utf8") > maxStandardValue ? "Advanced" : "Standard") : requestedTier;
  const dataType = input.DataType ?? previous?.dataType ?? "text";
  if (!dataTypes.includes(dataType)) throw validationError(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
  const description = input.Description ?? previous?.description;
  const secure = type === "SecureString";
  return {
    version: (previous?.version ?? 0) + 1,
    type,
    value: checkValue(input.Value, tier, allowedPattern),
    // Random, so nothing of the value can be read from it, and long like the KMS ciphertext AWS returns.
    ...(secure && { ciphertext: `AQICAH${randomBytes(96).toString("base64")}`, keyId: input.KeyId ?? previous?.keyId ?? "alias/aws/ssm" }),
    ...(description !== undefined && { description }),
    ...(allowedPattern !== undefined && { allowedPattern }),
    dataType,
    tier,
    modifiedAt: now,
  };
}

function validTags(tags: Tag[] | undefined, overwrite: boolean): Tag[] {
  const list = tags ?? [];
  if (list.length > 0 && overwrite) {
    throw validationError(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags on an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  return list.map((t) => ({ Key: t.Key, Value: t.Value }));
}

export const parameterOperations: Record<string, Handler> = {
  PutParameter(input: PutParameterRequest, ctx) {
    const state = ssmState(ctx);
    const name = validName(input.Name);
    const overwrite = input.Overwrite === true;
    const tags = validTags(input.Tags, overwrite);
    const existing = state.parameters.get(parameterKey(name));
    if (existing && !overwrite) throw parameterExists();
    const version = newVersion(input, existing?.history[existing.history.length - 1], ctx.now);
    const record: ParameterRecord = existing ?? { name, arn: parameterArn(state, name), history: [], tags };
    record.history.push(version);
    if (record.history.length > maxVersions) record.history.shift();
    state.parameters.set(parameterKey(name), record);
    return { Version: version.version, Tier: version.tier };
  },

  DeleteParameter(input: DeleteParameterRequest, ctx) {
    const state = ssmState(ctx);
    const record = findParameter(state, input.Name ?? "");
    if (!record) throw parameterNotFound();
    state.parameters.delete(parameterKey(record.name));
    return {};
  },

  DeleteParameters(input: DeleteParametersRequest, ctx) {
    const state = ssmState(ctx);
    const names = input.Names ?? [];
    if (names.length < 1 || names.length > 10) throw validationError("1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1");
    const deleted: string[] = [];
    const invalid: string[] = [];
    for (const name of names) {
      const record = findParameter(state, name);
      if (record) state.parameters.delete(parameterKey(record.name));
      (record ? deleted : invalid).push(name);
    }
    return { DeletedParameters: deleted, InvalidParameters: invalid };
  },
};
