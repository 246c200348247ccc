import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { NotFoundError } from "../../src/errors.js";
import type { TaskDefinitionCatalog } from "../catalog/catalog.js";
import { answerFrom, type Answer } from "./answer.js";
import { knownFamily } from "./family.js";
import { imagesOf, type ContainerImage } from "./images.js";
import { slipwayTags } from "./tags.js";

/** One revision in full: what it runs, which release registered it, and the task definition itself. */
export interface VersionDetail {
  environment: string;
  package: string;
  version: string;
  revision: number;
  arn: string;
  status: string;
  registeredAt: string | null;
  deregisteredAt: string | null;
  images: ContainerImage[];
  /** slipway's tags without their "slipway:" prefix, e.g. { release: "1.4.0" }. */
  slipway: Record<string, string>;
  tags: { key: string; value: string }[];
  taskDefinition: TaskDefinition;
}

export async function versionDetail(catalog: TaskDefinitionCatalog, environment: string, family: string, revision: number): Promise<Answer<VersionDetail>> {
  const families = await knownFamily(catalog, environment, family);
  const found = await catalog.revision(family, revision);
  const definition = found.value?.taskDefinition;
  if (!found.value || !definition) {
    throw new NotFoundError(`${family} has no version ${revision} in ${environment}.`, `GET /v1/environments/${environment}/packages/${family}/versions lists its versions (add ?status=INACTIVE for deregistered ones).`);
  }
  const tags = found.value.tags.map((t) => ({ key: t.key ?? "", value: t.value ?? "" }));
  const body: VersionDetail = {
    environment,
    package: family,
    version: String(revision),
    revision,
    arn: definition.taskDefinitionArn ?? "",
    status: definition.status ?? "ACTIVE",
    registeredAt: definition.registeredAt?.toISOString() ?? null,
    deregisteredAt: definition.deregisteredAt?.toISOString() ?? null,
    images: imagesOf(definition.containerDefinitions),
    slipway: slipwayTags(found.value.tags),
    tags,
    taskDefinition: definition,
  };
  return answerFrom(body, [families, found]);
}
