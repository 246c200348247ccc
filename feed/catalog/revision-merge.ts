import type { RevisionRef } from "../../src/aws/task-definitions.js";

/**
 * How an incremental read of a listing is folded into what was known. Listings here are oldest first, as the
 * views expect; the incremental read is newest first (TaskDefinitionReader.listRevisionsNewestFirst).
 */
export interface MergedListing {
  revisions: RevisionRef[];
  /** True when the read covered every page: it is the whole listing, as good as a full one. */
  whole: boolean;
}

/**
 * `known` with what a newest-first read stopped at `stopAtOrBelow` found. From the read's lowest revision up
 * the read is complete, so it also drops revisions deregistered there; below it only `known` can say.
 */
export function mergeNewer(known: readonly RevisionRef[], newestFirst: readonly RevisionRef[], stopAtOrBelow: number | undefined): MergedListing {
  const read = [...newestFirst].reverse();
  const lowest = read[0];
  // The read stops only on reaching a known revision: if it never did, it ran out of pages.
  if (stopAtOrBelow === undefined || lowest === undefined || lowest.revision > stopAtOrBelow) return { revisions: read, whole: true };
  return { revisions: [...known.filter((r) => r.revision < lowest.revision), ...read], whole: false };
}

/**
 * A whole listing taken in the background, plus what `current` holds above its newest revision: those were
 * registered after the whole listing passed the top, and the listing must not lose them.
 */
export function withNewerFrom(whole: readonly RevisionRef[], current: readonly RevisionRef[]): RevisionRef[] {
  const top = whole.at(-1)?.revision ?? 0;
  return [...whole, ...current.filter((r) => r.revision > top)];
}

/** The revisions of `before` that `after` no longer holds. */
export function leaving(before: readonly RevisionRef[], after: readonly RevisionRef[]): RevisionRef[] {
  const staying = new Set(after.map((r) => r.revision));
  return before.filter((r) => !staying.has(r.revision));
}

/** Both listings together, oldest first, each revision once. */
export function union(a: readonly RevisionRef[], b: readonly RevisionRef[]): RevisionRef[] {
  const byRevision = new Map([...a, ...b].map((r) => [r.revision, r]));
  return [...byRevision.values()].sort((x, y) => x.revision - y.revision);
}
