import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { NotFoundError } from "../../src/errors.js";
import { ownerOf } from "../../steps/task-definition/ownership.js";
import type { Owner, TaskDefinitionCatalog } from "../catalog/catalog.js";
import { answerFrom, type Answer } from "./answer.js";
import { knownFamily } from "./family.js";
import { imagesOf, type ContainerImage } from "../../src/aws/image-reference.js";
import { maskedDefinition } from "./secret-environment.js";
import { slipwayTags } from "./tags.js";

/** One revision in full: what it runs, which release registered it, and the task definition itself. */
export interface VersionDetail {
  /** The environment the revision belongs to (its slipway:environment tag); null for none. */
  environment: Owner;
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
  /** With the values of secret environment entries masked. */
  taskDefinition: TaskDefinition;
}

export interface VersionDetailQuery {
  /** Answer a revision whichever environment it belongs to, not only the path's environment's. */
  all: boolean;
  /** Container environment entries whose values are secrets: masked. */
  secretEnvironmentNames: ReadonlySet<string>;
}

function otherOwnerError(environment: string, family: string, revision: number, owner: Owner): NotFoundError {
  const whose = owner === null ? "to no environment (it has no slipway:environment tag)" : `to ${owner}`;
  return new NotFoundError(
    `${family} version ${revision} is not a version of ${environment}: it belongs ${whose}.`,
    `Add ?all=true to see it whichever environment it belongs to (GET /v1/environments/${environment}/packages/${family}/versions/${revision}?all=true); GET /v1/environments/${environment}/packages/${family}/versions lists ${environment}'s own.`,
  );
}

export async function versionDetail(catalog: TaskDefinitionCatalog, environment: string, family: string, revision: number, query: VersionDetailQuery): Promise<Answer<VersionDetail>> {
  const families = await knownFamily(catalog, environment, family);
  const found = await catalog.revision(family, revision);
  const definition = found.value?.taskDefinition;
  if (!found.value || !definition) {
    throw new NotFoundError(`${family} has no version ${revision} in ${environment}.`, `GET /v1/environments/${environment}/packages/${family}/versions lists its versions (add ?status=INACTIVE for deregistered ones).`);
  }
  const owner = ownerOf(found.value.tags) ?? null;
  if (!query.all && owner !== environment) throw otherOwnerError(environment, family, revision, owner);
  const tags = found.value.tags.map((t) => ({ key: t.key ?? "", value: t.value ?? "" }));
  const body: VersionDetail = {
    environment: owner,
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
    taskDefinition: maskedDefinition(definition, query.secretEnvironmentNames),
  };
  return answerFrom(body, [families, found]);
}
