import type { DescribedTaskDefinition, RevisionRef, TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { ownerOf } from "../../steps/task-definition/ownership.js";
import { FreshnessCache, type CachedAnswer, type Clock, type Loader } from "./cache.js";
import { LoadQueue, queuedLoader } from "./load-queue.js";
import { RevisionOwners, type Owner } from "./owners.js";
import { RevisionLists, type RevisionStatus } from "./revision-lists.js";

export type { RevisionStatus } from "./revision-lists.js";
export type { Owner } from "./owners.js";

export interface CatalogOptions {
  /** How long listings (families, revisions, a family's newest revision) are served before ECS is asked again. */
  freshMs: number;
  /** How long one revision's description is kept: revisions are immutable, only their status can change. */
  detailMs: number;
  /**
   * How often a family's ACTIVE revision listing is read whole rather than only its newest end, and how long
   * an INACTIVE listing is kept: a deregistered revision can be listed ACTIVE for up to this long (see
   * revision-lists.ts). Default 10 × freshMs.
   */
  reconcileMs?: number;
  clock?: Clock;
  /** ECS look-ups running at once for this target. Default 4: a listing pages serially, so 4 keep ECS busy. */
  concurrency?: number;
  /** How many revisions' owners are kept (they never expire; see owners.ts). Default 100,000. */
  maxOwners?: number;
}

export const defaultCatalogOptions: CatalogOptions = { freshMs: 30_000, detailMs: 60 * 60_000 };

/** Freshness windows in a reconcile window unless told otherwise: 5 minutes at the default 30 s. */
export const reconcileFreshWindows = 10;

/**
 * What one environment's target holds, read through caches so that the feed asks ECS at most once per key and
 * freshness window however many requests arrive. Every answer says whether it is stale and when it was read.
 */
export class TaskDefinitionCatalog {
  private readonly familyList: FreshnessCache<readonly string[]>;
  private readonly newest: FreshnessCache<DescribedTaskDefinition | undefined>;
  private readonly revisionLists: RevisionLists;
  private readonly revisionDetails: FreshnessCache<DescribedTaskDefinition | undefined>;
  private readonly owners: RevisionOwners;
  private readonly queue: LoadQueue;

  constructor(
    private readonly reader: TaskDefinitionReader,
    options: CatalogOptions = defaultCatalogOptions,
  ) {
    this.queue = new LoadQueue(options.concurrency ?? 4);
    const listing = { freshMs: options.freshMs, ...(options.clock && { clock: options.clock }) };
    this.familyList = new FreshnessCache(listing);
    this.newest = new FreshnessCache(listing);
    const reconcileMs = options.reconcileMs ?? reconcileFreshWindows * options.freshMs;
    this.revisionLists = new RevisionLists(reader, this.queue, { freshMs: options.freshMs, reconcileMs, clock: options.clock ?? Date.now });
    // A revision that does not exist yet may be registered any moment, so "none" is only kept as long as a listing.
    this.revisionDetails = new FreshnessCache({ ...listing, freshMs: (found) => (found ? options.detailMs : options.freshMs) });
    this.owners = new RevisionOwners(options.maxOwners);
  }

  /** Every family, whatever the status of its revisions, in name order. */
  families(): Promise<CachedAnswer<readonly string[]>> {
    return this.familyList.get("all", this.queued<readonly string[]>(async () => [...(await this.reader.listFamilies({ status: "ALL" }))].sort()));
  }

  /** The newest ACTIVE revision of a family, whichever environment it belongs to; undefined when it has none. */
  newestRevision(family: string): Promise<CachedAnswer<DescribedTaskDefinition | undefined>> {
    return this.newest.get(family, this.queued(() => this.reader.describe(family))).then((answer) => this.learnOwner(answer));
  }

  /** A family's revisions with one status, oldest first. */
  revisions(family: string, status: RevisionStatus): Promise<CachedAnswer<readonly RevisionRef[]>> {
    return this.revisionLists.get(family, status);
  }

  /** One revision, whatever its status; undefined when ECS has none by that number. */
  revision(family: string, revision: number): Promise<CachedAnswer<DescribedTaskDefinition | undefined>> {
    const ref = `${family}:${revision}`;
    return this.revisionDetails.get(ref, this.queued(() => this.reader.describe(ref))).then((answer) => this.learnOwner(answer));
  }

  /** A family's owners known so far, by revision number, without asking ECS; undefined when none is known. */
  knownOwners(family: string): ReadonlyMap<number, Owner> | undefined {
    return this.owners.of(family);
  }

  /**
   * The environment a revision belongs to. The first time, one DescribeTaskDefinition through the revision's
   * description (so its look-up is shared, queued and kept with the description); never again after. A revision
   * ECS no longer has belongs to none, and is not remembered: the next listing drops it.
   */
  async owner(family: string, revision: number): Promise<Owner> {
    const known = this.owners.known(family, revision);
    if (known !== undefined) return known;
    const described = await this.revision(family, revision);
    return described.value ? (ownerOf(described.value.tags) ?? null) : null;
  }

  /** Every description read tells its revision's owner: kept, so no scan describes that revision again. */
  private learnOwner(answer: CachedAnswer<DescribedTaskDefinition | undefined>): CachedAnswer<DescribedTaskDefinition | undefined> {
    const definition = answer.value?.taskDefinition;
    if (answer.value && definition?.family !== undefined && definition.revision !== undefined) {
      this.owners.remember(definition.family, definition.revision, ownerOf(answer.value.tags) ?? null);
    }
    return answer;
  }

  /** A cache loader that takes its turn in this target's queue: first loads ahead of refreshes. */
  private queued<V>(load: () => Promise<V>): Loader<V> {
    return queuedLoader(this.queue, () => load());
  }
}
