import { randomUUID } from "node:crypto";
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient, type Tag } from "@aws-sdk/client-secrets-manager";
import { ConflictError } from "../errors.js";
import { awsErrorName, callAws } from "./call.js";

/** A secret slipway owns, as it stands: its ARN, its current version, and whether that holds the value wanted. */
export interface OwnedSecretState {
  arn: string;
  versionId: string;
  matches: boolean;
}

/**
 * The secrets slipway owns (fromEnv secret variables), in Secrets Manager. Values go in and are compared here;
 * none comes out: the port answers only whether the current value is the one wanted.
 */
export interface SecretStore {
  /** The secret named `name`, compared with `value`; undefined when there is none. */
  read(name: string, value: string): Promise<OwnedSecretState | undefined>;
  create(name: string, value: string, options: { kmsKeyId?: string; tags: Tag[]; description: string }): Promise<{ arn: string; versionId: string }>;
  /** A new version holding `value`, which becomes AWSCURRENT. */
  put(arn: string, value: string): Promise<{ versionId: string }>;
}

export class AwsSecretStore implements SecretStore {
  constructor(private readonly client: SecretsManagerClient) {}

  async read(name: string, value: string): Promise<OwnedSecretState | undefined> {
    try {
      const out = await callAws("GetSecretValue", name, () => this.client.send(new GetSecretValueCommand({ SecretId: name })));
      return { arn: out.ARN ?? "", versionId: out.VersionId ?? "", matches: out.SecretString === value };
    } catch (error) {
      const code = awsErrorName(error);
      if (code === "ResourceNotFoundException") return undefined;
      // Secrets Manager refuses a secret scheduled for deletion; writing a new value would not bring it back.
      if (code === "InvalidRequestException") {
        throw new ConflictError(`The secret ${name} cannot be read: it is scheduled for deletion (or otherwise not usable).`, `Restore it (aws secretsmanager restore-secret --secret-id ${name}) and deploy again.`);
      }
      throw error;
    }
  }

  async create(name: string, value: string, options: { kmsKeyId?: string; tags: Tag[]; description: string }): Promise<{ arn: string; versionId: string }> {
    // The token is the new version's id; a retry by the SDK sends the same one, so it cannot make two versions.
    const token = randomUUID();
    const out = await callAws("CreateSecret", name, () =>
      this.client.send(new CreateSecretCommand({ Name: name, SecretString: value, ClientRequestToken: token, Description: options.description, Tags: options.tags, ...(options.kmsKeyId !== undefined && { KmsKeyId: options.kmsKeyId }) })),
    );
    return { arn: out.ARN ?? "", versionId: out.VersionId ?? token };
  }

  async put(arn: string, value: string): Promise<{ versionId: string }> {
    const token = randomUUID();
    const out = await callAws("PutSecretValue", arn, () => this.client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value, ClientRequestToken: token })));
    return { versionId: out.VersionId ?? token };
  }
}
