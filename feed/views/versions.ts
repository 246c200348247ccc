import type { RevisionRef } from "../../src/aws/task-definitions.js";
import type { Owner, RevisionStatus, TaskDefinitionCatalog } from "../catalog/catalog.js";
import { scanOwned, type ScannedRevision } from "../catalog/owned-revisions.js";
import type { FeedChannel } from "../params/channel.js";
import type { RevisionRange } from "../params/range.js";
import { bothRanges } from "../../src/releases/revision-range.js";
import { answerFrom, type Answer } from "./answer.js";
import { knownFamily } from "./family.js";
import { newestFirstPageOf, pagingOf, type Paging } from "./paging.js";

/** A revision as a version: the number as a one-part version string, as channel rules see it. */
export interface VersionSummary {
  version: string;
  revision: number;
  arn: string;
  status: RevisionStatus;
  /** The environment the revision belongs to (its slipway:environment tag); null for none. */
  environment: Owner;
}

export interface VersionList {
  environment: string;
  package: string;
  status: RevisionStatus;
  /** The range applied, as semver reads it; null when none was given. */
  range: string | null;
  /** The channel applied and its rule for this package, as semver reads it (null: it allows every revision); null when none was asked for. */
  channel: { name: string; range: string | null } | null;
  items: VersionSummary[];
  paging: Paging;
}

export interface VersionQuery {
  status: RevisionStatus;
  range: RevisionRange | undefined;
  /** Only the revisions this channel's rule for the package allows, within `range`. */
  channel?: FeedChannel | undefined;
  page: number;
  pageSize: number;
  /** Every revision of the family, whichever environment it belongs to, rather than only the environment's. */
  all: boolean;
  /**
   * Instead of the environment's revisions, those that belong to no environment (registered outside slipway):
   * what a release may choose a package from (`registeredOutside`). `all` lists these and more, so with `all` it
   * changes nothing.
   */
  unowned: boolean;
}

interface VersionPage {
  items: ScannedRevision[];
  paging: Paging;
}

/**
 * Only the environment's revisions (with `unowned`, those of no environment instead): found newest first, describing
 * unknown owners only as far as this page and one more revision (so a next page is known to exist), and counted
 * only when every owner is known.
 */
async function environmentPage(catalog: TaskDefinitionCatalog, environment: string, family: string, matching: readonly RevisionRef[], query: VersionQuery): Promise<VersionPage> {
  const scan = await scanOwned(catalog, family, matching, environment, query.page * query.pageSize + 1, query.unowned ? "unowned" : "own");
  const items = scan.revisions.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  return { items, paging: pagingOf(query.page, query.pageSize, scan.total ?? null) };
}

/** Every revision: the listing's page, each revision's owner looked up (once each, then kept). */
async function everyRevisionPage(catalog: TaskDefinitionCatalog, family: string, matching: readonly RevisionRef[], query: VersionQuery): Promise<VersionPage> {
  const { items, paging } = newestFirstPageOf(matching, query.page, query.pageSize);
  const owners = await Promise.all(items.map((r) => catalog.owner(family, r.revision)));
  return { items: items.map((ref, i) => ({ ref, owner: owners[i] as Owner })), paging };
}

export async function listVersions(catalog: TaskDefinitionCatalog, environment: string, family: string, query: VersionQuery): Promise<Answer<VersionList>> {
  const families = await knownFamily(catalog, environment, family);
  const revisions = await catalog.revisions(family, query.status);
  const allowed = query.channel?.revisions.get(family);
  const range = bothRanges(query.range, allowed);
  const matching: readonly RevisionRef[] = range ? revisions.value.filter((r) => range.includes(r.revision)) : revisions.value;
  const { items, paging } = query.all ? await everyRevisionPage(catalog, family, matching, query) : await environmentPage(catalog, environment, family, matching, query);
  const summaries = items.map(({ ref, owner }) => ({ version: String(ref.revision), revision: ref.revision, arn: ref.arn, status: query.status, environment: owner }));
  // Owners are not sources: they never change, so they make an answer neither stale nor older.
  const channel = query.channel ? { name: query.channel.name, range: allowed?.semver ?? null } : null;
  return answerFrom({ environment, package: family, status: query.status, range: query.range?.semver ?? null, channel, items: summaries, paging }, [families, revisions]);
}
