import type { AwsClients } from "../../src/aws/clients.js";
import { EcrImageCatalog, type ImageCatalog } from "../../src/aws/images.js";
import { EcsTaskDefinitions, type TaskDefinitionReader, type TaskDefinitionWriter } from "../../src/aws/task-definitions.js";
import { EcsTaskDefinitionUsage, type TaskDefinitionUsage } from "../../src/aws/task-definitions-in-use.js";
import { AwsSecretStore, type SecretStore } from "../../src/aws/secrets.js";
import { RevisionIndex } from "./revision-index.js";

/** The narrow AWS ports the step uses; tests and the CLI build them from one target's clients. */
export interface TaskDefinitionPorts {
  reader: TaskDefinitionReader;
  writer: TaskDefinitionWriter;
  images: ImageCatalog;
  usage: TaskDefinitionUsage;
  /** Which revisions belong to which environment, each described once per run. */
  index: RevisionIndex;
  /** The Secrets Manager secrets slipway owns (fromEnv secret variables). */
  secrets: SecretStore;
}

export function createTaskDefinitionPorts(clients: Pick<AwsClients, "ecs" | "ecr" | "secretsManager">): TaskDefinitionPorts {
  const taskDefinitions = new EcsTaskDefinitions(clients.ecs);
  return { reader: taskDefinitions, writer: taskDefinitions, images: new EcrImageCatalog(clients.ecr), usage: new EcsTaskDefinitionUsage(clients.ecs), index: new RevisionIndex(taskDefinitions), secrets: new AwsSecretStore(clients.secretsManager) };
}
