import type { AwsClients } from "../aws/clients.js";
import type { ImageCatalog } from "../aws/images.js";
import { createTaskDefinitionPorts } from "../../steps/task-definition/ports.js";
import type { ChoicePorts } from "./package-choice.js";

/**
 * Where a release's choices are read: the first environment's registry (images, by tag to digest) and its task
 * definitions (service steps' packages). Every later environment runs what was chosen there.
 */
export interface ReleaseSources {
  images: ImageCatalog;
  taskDefinitions: ChoicePorts;
}

export function releaseSources(clients: Pick<AwsClients, "ecs" | "ecr" | "secretsManager">): ReleaseSources {
  const ports = createTaskDefinitionPorts(clients);
  return { images: ports.images, taskDefinitions: { reader: ports.reader, index: ports.index } };
}
