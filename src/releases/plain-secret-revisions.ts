import type { TaskDefinitionReader } from "../aws/task-definitions.js";
import { RevisionIndex } from "../../steps/task-definition/revision-index.js";

/** A revision that holds a secret's value in a container's plain environment: what `slipway validate --revisions` warns about. */
export interface PlainSecretRevision {
  family: string;
  revision: number;
  /** The environment it belongs to (its slipway:environment tag), if any. */
  environment?: string;
  /** "web: DB_PASSWORD" for each entry found. */
  entries: string[];
}

/**
 * The ACTIVE revisions of the families whose containers' plain `environment` holds one of `secretNames` — revisions
 * registered before slipway passed secrets through ECS `secrets`. Each revision is described once; nothing is
 * changed (a revision never changes: the fix is a deployment, then deregistering the old revision).
 */
export async function plainSecretRevisions(reader: TaskDefinitionReader, families: readonly string[], secretNames: ReadonlySet<string>): Promise<PlainSecretRevision[]> {
  const index = new RevisionIndex(reader);
  const found: PlainSecretRevision[] = [];
  for (const family of families) {
    for await (const facts of index.newestFirst(await reader.listRevisions(family, "ACTIVE"))) {
      const containers = Array.isArray(facts.definition.containerDefinitions) ? (facts.definition.containerDefinitions as { name?: string; environment?: { name?: string }[] }[]) : [];
      const entries = containers.flatMap((c) => (c.environment ?? []).filter((e) => e.name !== undefined && secretNames.has(e.name)).map((e) => `${c.name ?? "?"}: ${e.name ?? ""}`));
      if (entries.length > 0) found.push({ family, revision: facts.revision, ...(facts.environment !== undefined && { environment: facts.environment }), entries });
    }
  }
  return found.sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
}
