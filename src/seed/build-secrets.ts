import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { awsErrorName, callAws } from "../aws/call.js";

/** The value a placeholder secret holds: the simulator runs no containers, so none ever reads it. */
export const placeholderValue = "slipway-simulator-placeholder";

export interface SecretClients {
  secretsManager: SecretsManagerClient;
  ssm: SSMClient;
}

const missing = (error: unknown) => /NotFound/.test(awsErrorName(error) ?? "");

async function exists(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (missing(error)) return false;
    throw error;
  }
}

/**
 * arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]. Created under the
 * ARN's last part as its name: the simulator, as AWS, finds a secret by a partial ARN's name, and a full ARN's
 * made-up suffix cannot be chosen, so the whole last part is the name that makes the ARN resolve.
 */
async function ensureSecretsManagerSecret(client: SecretsManagerClient, valueFrom: string, created: string[], notes: string[]): Promise<void> {
  const parts = valueFrom.split(":");
  const secretId = parts.slice(0, 7).join(":");
  const [name = "", jsonKey, versionStage, versionId] = parts.slice(6);
  if (await exists(() => client.send(new DescribeSecretCommand({ SecretId: secretId })))) return;
  if (versionId || (versionStage && versionStage !== "AWSCURRENT")) {
    notes.push(`${valueFrom} names a version of its own, which seeding cannot create: create the secret and that version in the simulator.`);
    return;
  }
  const value = jsonKey ? JSON.stringify({ [jsonKey]: placeholderValue }) : placeholderValue;
  await callAws("CreateSecret", name, () => client.send(new CreateSecretCommand({ Name: name, SecretString: value })));
  if (await exists(() => client.send(new DescribeSecretCommand({ SecretId: secretId })))) {
    created.push(`secret ${name} (a placeholder value, for ${valueFrom})`);
    return;
  }
  await callAws("DeleteSecret", name, () => client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })));
  notes.push(`${valueFrom} is in another account than the simulator's, so seeding cannot create it there: give the target that account (sim start --project uses it) or point valueFrom at the simulator's.`);
}

/** A parameter's name or ARN (arn:aws:ssm:<region>:<account>:parameter/<name without its first slash>). */
async function ensureParameter(client: SSMClient, valueFrom: string, created: string[], notes: string[]): Promise<void> {
  const tail = valueFrom.startsWith("arn:") ? valueFrom.slice(valueFrom.indexOf(":parameter/") + ":parameter/".length) : valueFrom;
  const name = valueFrom.startsWith("arn:") && tail.includes("/") ? `/${tail}` : tail;
  if (await exists(() => client.send(new GetParameterCommand({ Name: valueFrom })))) return;
  await callAws("PutParameter", name, () => client.send(new PutParameterCommand({ Name: name, Type: "SecureString", Value: placeholderValue })));
  if (await exists(() => client.send(new GetParameterCommand({ Name: valueFrom })))) {
    created.push(`SSM parameter ${name} (SecureString, a placeholder value)`);
    return;
  }
  await callAws("DeleteParameter", name, () => client.send(new DeleteParameterCommand({ Name: name })));
  notes.push(`${valueFrom} is in another account than the simulator's, so seeding cannot create it there: give the target that account (sim start --project uses it) or point valueFrom at the simulator's.`);
}

/**
 * A `valueFrom` secret the project's team manages, created with a placeholder value when the simulator lacks it:
 * without it, every task that names it stops before it starts (ResourceInitializationError), as on AWS.
 */
export async function ensureValueFrom(clients: SecretClients, valueFrom: string, created: string[], notes: string[]): Promise<void> {
  if (valueFrom.startsWith("arn:") && valueFrom.split(":")[2] === "secretsmanager") await ensureSecretsManagerSecret(clients.secretsManager, valueFrom, created, notes);
  else await ensureParameter(clients.ssm, valueFrom, created, notes);
}
