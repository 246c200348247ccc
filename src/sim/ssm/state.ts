import type { ParameterTier, ParameterType, Tag } from "@aws-sdk/client-ssm";

/** One version of a parameter, as PutParameter left it. */
export interface ParameterVersion {
  version: number;
  type: ParameterType;
  value: string;
  /** What a SecureString reads as without WithDecryption: an opaque stand-in for KMS ciphertext. */
  ciphertext?: string;
  /** SecureString only: the KMS key, alias/aws/ssm unless one was given. */
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  dataType: string;
  tier: ParameterTier;
  modifiedAt: Date;
}

export interface ParameterRecord {
  /** As first put: "/app/db/password", or "token" at the top level. */
  name: string;
  arn: string;
  /** Oldest first; the last is the parameter's current value. */
  history: ParameterVersion[];
  tags: Tag[];
}

/** The Parameter Store of one region. */
export class SsmRegionState {
  /** By key (see parameterKey): "/token" and "token" are the same top-level parameter. */
  readonly parameters = new Map<string, ParameterRecord>();

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  /** A parameter ARN is this followed by the name without its leading "/". */
  get arnPrefix(): string {
    return `arn:aws:ssm:${this.region}:${this.account}:parameter/`;
  }
}
