import type { RevisionRef } from "../../src/aws/task-definitions.js";
import type { RevisionStatus, TaskDefinitionCatalog } from "../catalog/catalog.js";
import type { RevisionRange } from "../params/range.js";
import { answerFrom, type Answer } from "./answer.js";
import { knownFamily } from "./family.js";
import { newestFirstPageOf, type Paging } from "./paging.js";

/** A revision as a version: the number as a one-part version string, as channel rules see it. */
export interface VersionSummary {
  version: string;
  revision: number;
  arn: string;
  status: RevisionStatus;
}

export interface VersionList {
  environment: string;
  package: string;
  status: RevisionStatus;
  /** The range applied, as semver reads it; null when none was given. */
  range: string | null;
  items: VersionSummary[];
  paging: Paging;
}

export interface VersionQuery {
  status: RevisionStatus;
  range: RevisionRange | undefined;
  page: number;
  pageSize: number;
}


export async function listVersions(catalog: TaskDefinitionCatalog, environment: string, family: string, query: VersionQuery): Promise<Answer<VersionList>> {
  const families = await knownFamily(catalog, environment, family);
  const revisions = await catalog.revisions(family, query.status);
  const { range } = query;
  const matching: readonly RevisionRef[] = range ? revisions.value.filter((r) => range.includes(r.revision)) : revisions.value;
  const { items, paging } = newestFirstPageOf(matching, query.page, query.pageSize);
  const summaries = items.map((r) => ({ version: String(r.revision), revision: r.revision, arn: r.arn, status: query.status }));
  return answerFrom({ environment, package: family, status: query.status, range: query.range?.semver ?? null, items: summaries, paging }, [families, revisions]);
}
