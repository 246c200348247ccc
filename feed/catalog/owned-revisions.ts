import type { DescribedTaskDefinition, RevisionRef } from "../../src/aws/task-definitions.js";
import { ownerOf, registeredOutside } from "../../steps/task-definition/ownership.js";
import type { CachedAnswer } from "./cache.js";
import type { TaskDefinitionCatalog } from "./catalog.js";
import type { Owner } from "./owners.js";

/**
 * Finding an environment's revisions in a family that environments may share. A listing names revisions but
 * not their owners: an owner costs one DescribeTaskDefinition the first time (then it is kept, see owners.ts),
 * so these walk a listing newest first and describe only until they have found what they were asked for.
 */

/** What a scan needs of a catalog: the owners it knows, and a look-up for the others. */
export interface OwnerSource {
  knownOwners(family: string): ReadonlyMap<number, Owner> | undefined;
  owner(family: string, revision: number): Promise<Owner>;
}

/**
 * Which revisions a scan keeps: "own", only the environment's (its slipway:environment tag names it);
 * "unowned", those of no environment — registered outside slipway, what a release may choose a package from
 * (`registeredOutside`, steps/task-definition/ownership.ts).
 */
export type Whose = "own" | "unowned";

function keeps(whose: Whose, owner: Owner, environment: string): boolean {
  return whose === "own" ? owner === environment : registeredOutside(owner);
}

/** A revision a scan kept, and whose it is (null: no environment's). */
export interface ScannedRevision {
  ref: RevisionRef;
  owner: Owner;
}

export interface OwnedScan {
  /** The kept revisions among the candidates, newest first: `wanted` of them, or every one when fewer. */
  revisions: ScannedRevision[];
  /** How many of the candidates are kept; undefined while some candidate's owner is still unread. */
  total: number | undefined;
}

/** Owners looked up together at least: the load queue runs 4 look-ups at once, so 4 take about as long as 1. */
const minimumBatch = 4;

/**
 * Complete counts, by listing, environment and whose (keyed apart: "own dev", "unowned dev"), so that a warm
 * request walks only as far as its page rather than the whole family: a listing is never changed (a refresh makes
 * a new one) and neither is an owner.
 */
const counts = new WeakMap<readonly RevisionRef[], Map<string, number>>();

/**
 * The newest `wanted` of `candidates` (oldest first, as listings are) that belong to `environment` (with
 * "unowned", those that belong to no environment instead). Unknown owners are looked up in batches of as many as
 * could still be wanted — each might be kept — so a family the environment has to itself costs `wanted`
 * look-ups, and one it shares costs more only by the revisions of others that lie between. Then the rest is
 * counted, if every owner there is already known.
 */
export async function scanOwned(source: OwnerSource, family: string, candidates: readonly RevisionRef[], environment: string, wanted: number, whose: Whose = "own"): Promise<OwnedScan> {
  const found: ScannedRevision[] = [];
  const kept = (owner: Owner) => keeps(whose, owner, environment);
  const countKey = `${whose} ${environment}`;
  // Owners read by this scan: a revision ECS no longer has is not kept by the catalog, but is settled here.
  const read = new Map<number, Owner>();
  let known = source.knownOwners(family);
  const ownerAt = (i: number): Owner | undefined => {
    const revision = (candidates[i] as RevisionRef).revision;
    const owner = known?.get(revision);
    return owner !== undefined ? owner : read.get(revision);
  };

  const lookUp = async (from: number): Promise<void> => {
    const batch: RevisionRef[] = [];
    let stillWanted = wanted - found.length;
    for (let j = from; j >= 0 && (stillWanted > 0 || batch.length < minimumBatch); j--) {
      const owner = ownerAt(j);
      if (owner === undefined) batch.push(candidates[j] as RevisionRef);
      if (owner === undefined || kept(owner)) stillWanted--;
    }
    const owners = await Promise.all(batch.map((r) => source.owner(family, r.revision)));
    batch.forEach((r, k) => read.set(r.revision, owners[k] as Owner));
    known = source.knownOwners(family);
  };

  let i = candidates.length - 1;
  while (i >= 0 && found.length < wanted) {
    const owner = ownerAt(i);
    if (owner === undefined) {
      await lookUp(i);
      continue;
    }
    if (kept(owner)) found.push({ ref: candidates[i] as RevisionRef, owner });
    i--;
  }
  const countedBefore = counts.get(candidates)?.get(countKey);
  if (countedBefore !== undefined) return { revisions: found, total: countedBefore };
  let total = found.length;
  for (; i >= 0; i--) {
    const owner = ownerAt(i);
    if (owner === undefined) return { revisions: found, total: undefined };
    if (kept(owner)) total++;
  }
  counts.set(candidates, (counts.get(candidates) ?? new Map<string, number>()).set(countKey, total));
  return { revisions: found, total };
}

/** A revision found for an environment, and the cached answers that found it (for staleness and Age). */
export interface FoundRevision {
  described: DescribedTaskDefinition | undefined;
  sources: CachedAnswer<unknown>[];
}

/**
 * The newest ACTIVE revision of a family that belongs to `environment`; undefined when none does. Most often the
 * family's newest revision is the environment's (an account of its own, or the environment deployed last): one
 * DescribeTaskDefinition, as before environments shared families. Otherwise the ACTIVE listing is walked newest
 * first, stopping at the environment's first.
 */
export async function newestOwnedRevision(catalog: TaskDefinitionCatalog, family: string, environment: string): Promise<FoundRevision> {
  const newest = await catalog.newestRevision(family);
  if (!newest.value || ownerOf(newest.value.tags) === environment) return { described: newest.value, sources: [newest] };
  const listing = await catalog.revisions(family, "ACTIVE");
  const [found] = (await scanOwned(catalog, family, listing.value, environment, 1)).revisions;
  // Its description was read to learn its owner and is cached; revisions do not change, so it adds no staleness.
  const described = found ? (await catalog.revision(family, found.ref.revision)).value : undefined;
  return { described, sources: [newest, listing] };
}
