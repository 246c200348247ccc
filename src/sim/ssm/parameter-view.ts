import type { Parameter, ParameterHistory, ParameterMetadata } from "@aws-sdk/client-ssm";
import type { ParameterRecord, ParameterVersion } from "./state.js";

/**
 * A parameter in the three shapes Parameter Store answers with. A SecureString's value appears only when the
 * caller asked WithDecryption; otherwise its stand-in ciphertext does.
 */
const shownValue = (version: ParameterVersion, decrypt: boolean) => (version.ciphertext !== undefined && !decrypt ? version.ciphertext : version.value);

/** Who AWS reports as having last changed a parameter; the simulator has one caller. */
const modifiedBy = (account: string) => `arn:aws:iam::${account}:root`;

export function parameterView(record: ParameterRecord, version: ParameterVersion, decrypt: boolean, selector?: string): Parameter {
  return {
    Name: record.name,
    Type: version.type,
    Value: shownValue(version, decrypt),
    Version: version.version,
    ...(selector !== undefined && { Selector: `:${selector}` }),
    LastModifiedDate: version.modifiedAt,
    ARN: record.arn,
    DataType: version.dataType,
  };
}

function described(version: ParameterVersion, account: string) {
  return {
    Type: version.type,
    ...(version.keyId !== undefined && { KeyId: version.keyId }),
    LastModifiedDate: version.modifiedAt,
    LastModifiedUser: modifiedBy(account),
    ...(version.description !== undefined && { Description: version.description }),
    ...(version.allowedPattern !== undefined && { AllowedPattern: version.allowedPattern }),
    Version: version.version,
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}

export function metadataView(record: ParameterRecord, account: string): ParameterMetadata {
  const current = record.history[record.history.length - 1];
  return { Name: record.name, ARN: record.arn, ...(current && described(current, account)) };
}

export function historyView(record: ParameterRecord, version: ParameterVersion, decrypt: boolean, account: string): ParameterHistory {
  return { Name: record.name, ...described(version, account), Value: shownValue(version, decrypt), Labels: [] };
}
