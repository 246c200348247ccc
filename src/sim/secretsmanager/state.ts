import type { Tag } from "@aws-sdk/client-secrets-manager";

/** A secret's value as sent: SecretBinary stays base64, the form it travels in over JSON. */
export interface SecretValue {
  secretString?: string;
  secretBinary?: string;
}

export interface SecretVersion extends SecretValue {
  /** The ClientRequestToken that created it. */
  id: string;
  /** Staging labels; a version with none is deprecated (kept, but listed only on request). */
  stages: string[];
  createdAt: Date;
  lastAccessedAt?: Date;
}

export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  /** As given to CreateSecret; absent means the account's aws/secretsmanager key, which AWS does not report. */
  kmsKeyId?: string;
  tags: Tag[];
  /** versionId → version, oldest first. */
  versions: Map<string, SecretVersion>;
  createdAt: Date;
  lastChangedAt: Date;
  /** The day (UTC midnight) the value was last read: AWS reports access by date only. */
  lastAccessedAt?: Date;
  /** Set while the secret is scheduled for deletion: when DeleteSecret was called, and when it goes for good. */
  deletion?: { requestedAt: Date; purgeAt: Date };
}

/** The Secrets Manager world of one region: the account's secrets there, by name. */
export class SecretsRegionState {
  readonly secrets = new Map<string, SecretRecord>();

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  /** Every secret ARN in the region starts so; the name and a six-character suffix follow. */
  get arnPrefix(): string {
    return `arn:aws:secretsmanager:${this.region}:${this.account}:secret:`;
  }
}
