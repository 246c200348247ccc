import { NotFoundError } from "../../src/errors.js";
import type { CachedAnswer } from "../catalog/cache.js";
import type { TaskDefinitionCatalog } from "../catalog/catalog.js";

/**
 * Checks a family against the (cached) family listing before anything is asked about it, so an unknown name
 * costs no ECS call and takes no room in a cache.
 */
export async function knownFamily(catalog: TaskDefinitionCatalog, environment: string, family: string): Promise<CachedAnswer<readonly string[]>> {
  const families = await catalog.families();
  if (!families.value.includes(family)) {
    throw new NotFoundError(`There is no task definition family "${family}" in ${environment}.`, `GET /v1/environments/${environment}/packages?q=${family.slice(0, 8)} lists the families with similar names.`);
  }
  return families;
}
