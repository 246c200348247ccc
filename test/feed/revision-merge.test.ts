import { describe, expect, it } from "vitest";
import type { RevisionRef } from "../../src/aws/task-definitions.js";
import { leaving, mergeNewer, union, withNewerFrom } from "../../feed/catalog/revision-merge.js";

const refs = (...revisions: number[]): RevisionRef[] => revisions.map((revision) => ({ arn: `arn:aws:ecs:us-east-1:000000000000:task-definition/f:${revision}`, family: "f", revision }));
const numbers = (list: readonly RevisionRef[]) => list.map((r) => r.revision);

describe("merging an incremental read into a known listing", () => {
  it("appends what is newer, keeping the known listing below the read", () => {
    const merged = mergeNewer(refs(1, 2, 3, 4), refs(6, 5, 4, 3), 4);
    expect(numbers(merged.revisions)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merged.whole).toBe(false);
  });

  it("drops what the read skipped from its lowest revision up: deregistered there", () => {
    expect(numbers(mergeNewer(refs(1, 2, 3, 4), refs(4, 2), 4).revisions)).toEqual([1, 2, 4]);
  });

  it("takes a read that never reached a known revision as the whole listing", () => {
    expect(mergeNewer(refs(1, 2, 3), refs(9, 8), 3)).toEqual({ revisions: refs(8, 9), whole: true });
    expect(mergeNewer(refs(1, 2, 3), [], 3)).toEqual({ revisions: [], whole: true });
    expect(mergeNewer([], refs(2, 1), undefined)).toEqual({ revisions: refs(1, 2), whole: true });
  });

  it("keeps what is newer than a whole listing taken in the background", () => {
    expect(numbers(withNewerFrom(refs(1, 3), refs(1, 2, 3, 4)))).toEqual([1, 3, 4]);
    expect(numbers(withNewerFrom([], refs(1, 2)))).toEqual([1, 2]);
  });

  it("says what left a listing, and joins two listings oldest first", () => {
    expect(numbers(leaving(refs(1, 2, 3), refs(1, 3, 4)))).toEqual([2]);
    expect(numbers(union(refs(5, 9), refs(2, 5)))).toEqual([2, 5, 9]);
  });
});
