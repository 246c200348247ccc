import type { TaskDefinitionCatalog } from "../catalog/catalog.js";
import type { CachedAnswer } from "../catalog/cache.js";
import type { DescribedTaskDefinition } from "../../src/aws/task-definitions.js";
import { answerFrom, type Answer } from "./answer.js";
import { imagesOf, type ContainerImage } from "./images.js";
import { knownFamily } from "./family.js";
import { pageOf, type Paging } from "./paging.js";

/** A task definition family as a package: its name, its newest ACTIVE revision and that revision's images. */
export interface PackageSummary {
  name: string;
  /** null when the family has no ACTIVE revision left. */
  latestVersion: string | null;
  latestRegisteredAt: string | null;
  images: ContainerImage[];
}

export interface PackageList {
  environment: string;
  items: PackageSummary[];
  paging: Paging;
}

function summary(name: string, newest: DescribedTaskDefinition | undefined): PackageSummary {
  const definition = newest?.taskDefinition;
  return {
    name,
    latestVersion: definition?.revision === undefined ? null : String(definition.revision),
    latestRegisteredAt: definition?.registeredAt?.toISOString() ?? null,
    images: imagesOf(definition?.containerDefinitions),
  };
}

export async function listPackages(catalog: TaskDefinitionCatalog, environment: string, query: { search: string | undefined; page: number; pageSize: number }): Promise<Answer<PackageList>> {
  const families = await catalog.families();
  const matching = query.search === undefined ? families.value : families.value.filter((f) => f.toLowerCase().includes(query.search as string));
  const { items, paging } = pageOf(matching, query.page, query.pageSize);
  // Only the families on this page are described: a page costs at most pageSize look-ups, each cached.
  const newest = await Promise.all(items.map((family) => catalog.newestRevision(family)));
  const sources: CachedAnswer<unknown>[] = [families, ...newest];
  return answerFrom({ environment, items: items.map((family, i) => summary(family, newest[i]?.value)), paging }, sources);
}

export async function onePackage(catalog: TaskDefinitionCatalog, environment: string, family: string): Promise<Answer<PackageSummary & { environment: string }>> {
  const families = await knownFamily(catalog, environment, family);
  const newest = await catalog.newestRevision(family);
  return answerFrom({ environment, ...summary(family, newest.value) }, [families, newest]);
}
