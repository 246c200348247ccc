/**
 * The environment a revision belongs to: the value of its `slipway:environment` tag, null when it has none
 * (see steps/task-definition/ownership.ts for the rule).
 */
export type Owner = string | null;

/** Owners kept per catalog unless told otherwise: a few megabytes, enough for 50 families × 2,000 revisions. */
export const defaultMaxOwners = 100_000;

/**
 * The owners of revisions already described, kept for the life of the process: a revision is immutable and
 * slipway never changes its tag, so an owner once read never needs reading again (unlike a listing, it does not
 * expire). Bounded: beyond `maxEntries` owners are forgotten, oldest first from the family least recently added
 * to, and cost one DescribeTaskDefinition again if asked for.
 *
 * Held family by family with the revision number as key, so that a listing of thousands of revisions is
 * classified with one string look-up and numeric ones after it: a versions page counts them on every request.
 */
export class RevisionOwners {
  private readonly byFamily = new Map<string, Map<number, Owner>>();
  private count = 0;

  constructor(private readonly maxEntries = defaultMaxOwners) {}

  /** A family's known owners by revision; undefined when none is known. */
  of(family: string): ReadonlyMap<number, Owner> | undefined {
    return this.byFamily.get(family);
  }

  known(family: string, revision: number): Owner | undefined {
    return this.byFamily.get(family)?.get(revision);
  }

  remember(family: string, revision: number, owner: Owner): void {
    const owners = this.byFamily.get(family) ?? new Map<number, Owner>();
    if (owners.has(revision)) return;
    owners.set(revision, owner);
    // Last in the map's order: the family being added to is the last to lose owners.
    this.byFamily.delete(family);
    this.byFamily.set(family, owners);
    this.count++;
    this.forgetOldest();
  }

  /** How many owners are held; for tests and diagnostics. */
  get size(): number {
    return this.count;
  }

  private forgetOldest(): void {
    for (const [family, owners] of this.byFamily) {
      if (this.count <= this.maxEntries) return;
      for (const revision of owners.keys()) {
        if (this.count <= this.maxEntries) break;
        owners.delete(revision);
        this.count--;
      }
      if (owners.size === 0) this.byFamily.delete(family);
    }
  }
}
