import { afterAll, beforeAll } from "vitest";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CreateSecretCommandInput,
  type DeleteSecretCommandInput,
  type DescribeSecretCommandInput,
  type GetSecretValueCommandInput,
  type ListSecretsCommandInput,
  type ListSecretVersionIdsCommandInput,
  type PutSecretValueCommandInput,
  type RestoreSecretCommandInput,
  type TagResourceCommandInput,
  type UntagResourceCommandInput,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  PutParameterCommand,
  type DeleteParameterCommandInput,
  type DeleteParametersCommandInput,
  type DescribeParametersCommandInput,
  type GetParameterCommandInput,
  type GetParameterHistoryCommandInput,
  type GetParametersCommandInput,
  type PutParameterCommandInput,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { startSim, type SimHarness } from "../support/sim.js";
import { secretClientsFor, type SecretClients } from "../support/backends.js";

/**
 * Shared steps for the Secrets Manager and Parameter Store tests, here (the simulator alone) and in test/fidelity
 * (both backends): the operations they call, and a simulator with secret clients for a describe block.
 */

/** What a promise was rejected with, or undefined when it resolved. */
export const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

/** The Secrets Manager operations the tests call, each one SDK command sent through the client `client()` gives at the time. */
export function secretsManagerCalls(client: () => SecretsManagerClient) {
  return {
    createSecret: (input: CreateSecretCommandInput) => client().send(new CreateSecretCommand(input)),
    deleteSecret: (input: DeleteSecretCommandInput) => client().send(new DeleteSecretCommand(input)),
    describeSecret: (input: DescribeSecretCommandInput) => client().send(new DescribeSecretCommand(input)),
    getSecretValue: (input: GetSecretValueCommandInput) => client().send(new GetSecretValueCommand(input)),
    listSecrets: (input: ListSecretsCommandInput) => client().send(new ListSecretsCommand(input)),
    listSecretVersionIds: (input: ListSecretVersionIdsCommandInput) => client().send(new ListSecretVersionIdsCommand(input)),
    putSecretValue: (input: PutSecretValueCommandInput) => client().send(new PutSecretValueCommand(input)),
    restoreSecret: (input: RestoreSecretCommandInput) => client().send(new RestoreSecretCommand(input)),
    tagResource: (input: TagResourceCommandInput) => client().send(new TagResourceCommand(input)),
    untagResource: (input: UntagResourceCommandInput) => client().send(new UntagResourceCommand(input)),
  };
}
export type SecretsManagerCalls = ReturnType<typeof secretsManagerCalls>;

/** The Parameter Store operations the tests call, each one SDK command sent through the client `client()` gives at the time. */
export function ssmCalls(client: () => SSMClient) {
  return {
    deleteParameter: (input: DeleteParameterCommandInput) => client().send(new DeleteParameterCommand(input)),
    deleteParameters: (input: DeleteParametersCommandInput) => client().send(new DeleteParametersCommand(input)),
    describeParameters: (input: DescribeParametersCommandInput) => client().send(new DescribeParametersCommand(input)),
    getParameter: (input: GetParameterCommandInput) => client().send(new GetParameterCommand(input)),
    getParameterHistory: (input: GetParameterHistoryCommandInput) => client().send(new GetParameterHistoryCommand(input)),
    getParameters: (input: GetParametersCommandInput) => client().send(new GetParametersCommand(input)),
    putParameter: (input: PutParameterCommandInput) => client().send(new PutParameterCommand(input)),
  };
}
export type SsmCalls = ReturnType<typeof ssmCalls>;

export interface SecretSim {
  /** The simulator; there once the block's beforeAll has run. */
  readonly h: SimHarness;
  readonly sm: SecretsManagerCalls;
  readonly ssm: SsmCalls;
}

/**
 * A simulator with Secrets Manager and Parameter Store clients for the enclosing describe block: started (then
 * `seed`ed) before its tests, closed after them.
 */
export function useSecretSim(options: Parameters<typeof startSim>[0] = {}, seed?: (world: SecretSim) => Promise<void>): SecretSim {
  let harness: SimHarness | undefined;
  let clients: SecretClients | undefined;
  const started = (): SecretClients => {
    if (!clients) throw new Error("the simulator starts in beforeAll: use it from a test");
    return clients;
  };
  const world: SecretSim = {
    get h() {
      if (!harness) throw new Error("the simulator starts in beforeAll: use it from a test");
      return harness;
    },
    sm: secretsManagerCalls(() => started().secretsManager),
    ssm: ssmCalls(() => started().ssm),
  };
  beforeAll(async () => {
    harness = await startSim(options);
    clients = secretClientsFor(harness.url, harness.region);
    await seed?.(world);
  });
  afterAll(async () => {
    clients?.destroy();
    await harness?.close();
  });
  return world;
}
