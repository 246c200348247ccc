import type { TaskDefinitionCatalog } from "../catalog/catalog.js";
import type { CachedAnswer } from "../catalog/cache.js";
import { newestOwnedRevision, type FoundRevision } from "../catalog/owned-revisions.js";
import type { DescribedTaskDefinition } from "../../src/aws/task-definitions.js";
import { answerFrom, type Answer } from "./answer.js";
import { imagesOf, type ContainerImage } from "../../src/aws/image-reference.js";
import { knownFamily } from "./family.js";
import { pageOf, type Paging } from "./paging.js";

/** A task definition family as a package: its name, its newest ACTIVE revision and that revision's images. */
export interface PackageSummary {
  name: string;
  /**
   * The newest ACTIVE revision that belongs to the environment (with `all`, whichever environment it belongs
   * to); null when there is none: every family of the environment's target is listed, its own or not.
   */
  latestVersion: string | null;
  latestRegisteredAt: string | null;
  images: ContainerImage[];
}

export interface PackageList {
  environment: string;
  items: PackageSummary[];
  paging: Paging;
}

export interface PackageQuery {
  search: string | undefined;
  page: number;
  pageSize: number;
  all: boolean;
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

async function latestOf(catalog: TaskDefinitionCatalog, environment: string, family: string, all: boolean): Promise<FoundRevision> {
  if (!all) return newestOwnedRevision(catalog, family, environment);
  const newest = await catalog.newestRevision(family);
  return { described: newest.value, sources: [newest] };
}

export async function listPackages(catalog: TaskDefinitionCatalog, environment: string, query: PackageQuery): Promise<Answer<PackageList>> {
  const families = await catalog.families();
  const matching = query.search === undefined ? families.value : families.value.filter((f) => f.toLowerCase().includes(query.search as string));
  const { items, paging } = pageOf(matching, query.page, query.pageSize);
  // Only the families on this page are described: a page costs a look-up or so per family, each cached.
  const latest = await Promise.all(items.map((family) => latestOf(catalog, environment, family, query.all)));
  const sources: CachedAnswer<unknown>[] = [families, ...latest.flatMap((l) => l.sources)];
  return answerFrom({ environment, items: items.map((family, i) => summary(family, latest[i]?.described)), paging }, sources);
}

export async function onePackage(catalog: TaskDefinitionCatalog, environment: string, family: string, all: boolean): Promise<Answer<PackageSummary & { environment: string }>> {
  const families = await knownFamily(catalog, environment, family);
  const latest = await latestOf(catalog, environment, family, all);
  return answerFrom({ environment, ...summary(family, latest.described) }, [families, ...latest.sources]);
}
