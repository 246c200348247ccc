import type { EncryptionConfiguration, EncryptionType } from "@aws-sdk/client-ecr";
import { constraintFailed, unreadable } from "./errors.js";

/**
 * A repository's encryption at rest, as CreateRepository's encryptionConfiguration (the model's
 * EncryptionConfiguration) gives it: an encryptionType of AES256 (the default), KMS or KMS_DSSE, and for the KMS ones
 * the kmsKey to use, 1–2048 characters. There is no KMS here: the key is kept as given and never used.
 */
const ENCRYPTION_TYPES: readonly EncryptionType[] = ["AES256", "KMS", "KMS_DSSE"];
const MAX_KMS_KEY = 2048;

export const defaultEncryption = (): EncryptionConfiguration => ({ encryptionType: "AES256" });


/** The configuration asked for, checked against the model's shape; AES256 when none is given. */
export function encryptionConfiguration(value: unknown): EncryptionConfiguration {
  if (value === undefined || value === null) return defaultEncryption();
  if (typeof value !== "object" || Array.isArray(value)) throw unreadable("encryptionConfiguration", "a structure");
  const { encryptionType, kmsKey } = value as { encryptionType?: unknown; kmsKey?: unknown };
  if (encryptionType === undefined || encryptionType === null) throw constraintFailed("encryptionConfiguration.encryptionType", "Member must not be null");
  if (typeof encryptionType !== "string" || !(ENCRYPTION_TYPES as readonly string[]).includes(encryptionType)) {
    throw constraintFailed("encryptionConfiguration.encryptionType", `Member must satisfy enum value set: [${ENCRYPTION_TYPES.join(", ")}]`);
  }
  if (kmsKey === undefined || kmsKey === null) return { encryptionType: encryptionType as EncryptionType };
  if (typeof kmsKey !== "string") throw unreadable("encryptionConfiguration.kmsKey", "a string");
  if (kmsKey.length < 1 || [...kmsKey].length > MAX_KMS_KEY) throw constraintFailed("encryptionConfiguration.kmsKey", `Member must have length between 1 and ${MAX_KMS_KEY}`);
  return { encryptionType: encryptionType as EncryptionType, kmsKey };
}
