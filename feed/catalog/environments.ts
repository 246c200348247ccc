import { NotFoundError } from "../../src/errors.js";
import type { TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { defaultCatalogOptions, TaskDefinitionCatalog, type CatalogOptions } from "./catalog.js";

/**
 * One catalog per environment, each over its own target's reader and with its own caches, so that what dev's
 * target holds can never be answered from prod's (or the other way round).
 */
export class EnvironmentCatalogs {
  private readonly catalogs: ReadonlyMap<string, TaskDefinitionCatalog>;

  constructor(sources: ReadonlyMap<string, TaskDefinitionReader>, options: CatalogOptions = defaultCatalogOptions) {
    this.catalogs = new Map([...sources].map(([environment, reader]) => [environment, new TaskDefinitionCatalog(reader, options)]));
  }

  /** The environments in the order they were given (the lifecycle's). */
  get names(): string[] {
    return [...this.catalogs.keys()];
  }

  get(environment: string): TaskDefinitionCatalog {
    const catalog = this.catalogs.get(environment);
    if (!catalog) throw new NotFoundError(`There is no environment "${environment}" in this feed.`, `The environments are: ${this.names.join(", ")}.`);
    return catalog;
  }
}
