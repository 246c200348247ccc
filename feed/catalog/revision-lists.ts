import type { RevisionRef, TaskDefinitionReader } from "../../src/aws/task-definitions.js";
import { FreshnessCache, type CachedAnswer, type Clock } from "./cache.js";
import { queuedLoader, type LoadQueue } from "./load-queue.js";
import { leaving, mergeNewer, union, withNewerFrom } from "./revision-merge.js";

export type RevisionStatus = "ACTIVE" | "INACTIVE";

export interface RevisionListOptions {
  freshMs: number;
  /** How often a family's ACTIVE listing is read whole (and its INACTIVE one at all); see the class comment. */
  reconcileMs: number;
  clock: Clock;
}

/** A family's ACTIVE revisions, oldest first, and when they were last read whole. */
interface ActiveListing {
  revisions: readonly RevisionRef[];
  reconciledAt: number;
}

/**
 * Families' revision listings, kept within ECS's read budget for families of thousands of revisions (a whole
 * listing is one call per 100 revisions; ECS sustains about 20 reads a second per account).
 *
 * ACTIVE: revisions are only ever appended, so after the first whole listing a refresh (once per freshness
 * window) reads newest first and stops at the newest revision already known: one call when nothing changed.
 * That read is complete from its lowest revision up, so a deregistration among the newest hundred or so shows
 * at once; an older revision, though, leaves the ACTIVE listing only when the listing is read whole again,
 * which happens once per reconcile window, in the background: the refresh that finds it due answers from its
 * incremental read as usual, and the whole listing replaces the answer when it arrives. The trade-off: a
 * deregistered revision can be listed ACTIVE for up to the reconcile window (plus the time the whole listing
 * takes); a shorter window costs a whole listing per family more often.
 *
 * INACTIVE: it grows by deregistration, which can hit any revision, so reading newest first finds nothing
 * reliably, and DeleteTaskDefinitions takes revisions out of it anywhere too. It is read whole, but kept for
 * the reconcile window: a deregistration takes that long to reach the ACTIVE listing as well. Revisions seen
 * leaving the ACTIVE listing are added to a held INACTIVE listing at once (leaving ACTIVE means INACTIVE:
 * ECS deletes only INACTIVE revisions), so the two agree; a deletion shows at the next whole read.
 */
export class RevisionLists {
  private readonly active: FreshnessCache<ActiveListing>;
  private readonly inactive: FreshnessCache<readonly RevisionRef[]>;
  /** Families whose ACTIVE listing is being read whole in the background: one such read at a time each. */
  private readonly reconciling = new Set<string>();

  constructor(
    private readonly reader: TaskDefinitionReader,
    private readonly queue: LoadQueue,
    private readonly options: RevisionListOptions,
  ) {
    this.active = new FreshnessCache({ freshMs: options.freshMs, clock: options.clock });
    this.inactive = new FreshnessCache({ freshMs: options.reconcileMs, clock: options.clock });
  }

  /** A family's revisions with one status, oldest first. */
  async get(family: string, status: RevisionStatus): Promise<CachedAnswer<readonly RevisionRef[]>> {
    if (status === "INACTIVE") return this.inactive.get(family, queuedLoader<readonly RevisionRef[]>(this.queue, () => this.reader.listRevisions(family, "INACTIVE")));
    const answer = await this.active.get(family, queuedLoader(this.queue, ({ previous }) => this.loadActive(family, previous)));
    return { ...answer, value: answer.value.revisions };
  }

  private async loadActive(family: string, previous: ActiveListing | undefined): Promise<ActiveListing> {
    const startedAt = this.options.clock();
    if (!previous) return { revisions: await this.reader.listRevisions(family, "ACTIVE"), reconciledAt: startedAt };
    const newestKnown = previous.revisions.at(-1)?.revision;
    const read = await this.reader.listRevisionsNewestFirst(family, "ACTIVE", { stopAtOrBelow: newestKnown });
    const merged = mergeNewer(previous.revisions, read, newestKnown);
    this.moveToInactive(family, leaving(previous.revisions, merged.revisions));
    if (merged.whole) return { revisions: merged.revisions, reconciledAt: startedAt };
    if (startedAt - previous.reconciledAt >= this.options.reconcileMs) this.reconcileInBackground(family);
    return { revisions: merged.revisions, reconciledAt: previous.reconciledAt };
  }

  /**
   * Reads the ACTIVE listing whole and amends the held answer with it. A failure is dropped: the listing is
   * still due, so the next refresh tries again; meanwhile the incremental answers stand.
   */
  private reconcileInBackground(family: string): void {
    if (this.reconciling.has(family)) return;
    this.reconciling.add(family);
    let startedAt = this.options.clock();
    const readWhole = () => {
      startedAt = this.options.clock();
      return this.reader.listRevisions(family, "ACTIVE");
    };
    void this.queue
      .run("refresh", readWhole)
      .then((whole) =>
        this.active.amend(family, (current) => {
          const revisions = withNewerFrom(whole, current.revisions);
          this.moveToInactive(family, leaving(current.revisions, revisions));
          return { revisions, reconciledAt: startedAt };
        }),
      )
      .catch(() => undefined)
      .finally(() => this.reconciling.delete(family));
  }

  private moveToInactive(family: string, left: readonly RevisionRef[]): void {
    if (left.length > 0) this.inactive.amend(family, (held) => union(held, left));
  }
}
