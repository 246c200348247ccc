import { describe, expect, it } from "vitest";
import type { RevisionRef } from "../../src/aws/task-definitions.js";
import { scanOwned, type OwnedScan, type OwnerSource } from "../../feed/catalog/owned-revisions.js";
import { RevisionOwners, type Owner } from "../../feed/catalog/owners.js";

const refs = (owners: readonly Owner[]): RevisionRef[] => owners.map((_, i) => ({ arn: `arn:aws:ecs:us-east-1:0:task-definition/f:${i + 1}`, family: "f", revision: i + 1 }));

/** Owners of revisions 1, 2, … as ECS would tell them, counting look-ups; kept in a RevisionOwners as the catalog does. */
function source(owners: readonly Owner[]): OwnerSource & { lookedUp: number[] } {
  const kept = new RevisionOwners();
  const lookedUp: number[] = [];
  return {
    lookedUp,
    knownOwners: (family) => kept.of(family),
    owner(family, revision) {
      lookedUp.push(revision);
      const owner = owners[revision - 1] ?? null;
      kept.remember(family, revision, owner);
      return Promise.resolve(owner);
    },
  };
}

const revisions = (scan: OwnedScan) => scan.revisions.map((r) => r.ref.revision);

describe("finding an environment's revisions", () => {
  // dev 1, test 2, prod 3, dev 4, … and an untagged 10.
  const interleaved: Owner[] = ["dev", "test", "prod", "dev", "test", "prod", "dev", "test", "prod", null];

  it("stops at the environment's first when one is wanted, looking up a few at a time", async () => {
    const s = source(interleaved);
    const scan = await scanOwned(s, "f", refs(interleaved), "prod", 1);
    expect(revisions(scan)).toEqual([9]);
    expect(s.lookedUp).toEqual([10, 9, 8, 7]);
    expect(scan.total).toBeUndefined();
  });

  it("looks up as many as are still wanted, and counts the rest once every owner there is known", async () => {
    const s = source(interleaved);
    const all = refs(interleaved);
    const first = await scanOwned(s, "f", all, "dev", 2);
    expect(revisions(first)).toEqual([7, 4]);
    expect(s.lookedUp.length).toBeLessThan(interleaved.length);
    const whole = await scanOwned(s, "f", all, "dev", 10);
    expect(revisions(whole)).toEqual([7, 4, 1]);
    expect(whole.total).toBe(3);
    s.lookedUp.length = 0;
    // Owners are kept: asking again looks nothing up, and the count is known at once.
    expect(await scanOwned(s, "f", all, "dev", 1)).toEqual({ revisions: [{ ref: all[6], owner: "dev" }], total: 3 });
    expect(s.lookedUp).toEqual([]);
  });

  it("finds no revision of an environment that has none, and says so exactly", async () => {
    const s = source(interleaved);
    expect(await scanOwned(s, "f", refs(interleaved), "qa", 1)).toEqual({ revisions: [], total: 0 });
    expect(s.lookedUp.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("describes exactly the page's revisions (and one more) when the family is the environment's alone", async () => {
    const own: Owner[] = Array.from({ length: 200 }, () => "dev");
    const s = source(own);
    const scan = await scanOwned(s, "f", refs(own), "dev", 51);
    expect(scan.revisions.length).toBe(51);
    expect(s.lookedUp.length).toBe(51);
    expect(scan.total).toBeUndefined();
  });
});

describe("finding the revisions a release may choose a package from: no environment's", () => {
  // dev 1, test 2, none 3, prod 4, dev 5, none 6, test 7, none 8.
  const mixed: Owner[] = ["dev", "test", null, "prod", "dev", null, "test", null];

  it("keeps the untagged only, newest first — the environment's own neither", async () => {
    const s = source(mixed);
    const scan = await scanOwned(s, "f", refs(mixed), "dev", 10, "unowned");
    expect(scan.revisions.map((r) => [r.ref.revision, r.owner])).toEqual([
      [8, null],
      [6, null],
      [3, null],
    ]);
    expect(scan.total).toBe(3);
  });

  it("looks up only as far as it needs: the newest untagged is one look-up batch away", async () => {
    const s = source(mixed);
    const scan = await scanOwned(s, "f", refs(mixed), "dev", 1, "unowned");
    expect(scan.revisions).toEqual([{ ref: refs(mixed)[7], owner: null }]);
    expect(s.lookedUp).toEqual([8, 7, 6, 5]);
    expect(scan.total).toBeUndefined();
  });

  it("counts its own and the unowned apart on one listing", async () => {
    const s = source(mixed);
    const all = refs(mixed);
    expect((await scanOwned(s, "f", all, "dev", 10)).total).toBe(2);
    expect((await scanOwned(s, "f", all, "dev", 10, "unowned")).total).toBe(3);
    // Both counts are kept: a one-revision page of either knows its own total at once, with nothing looked up.
    s.lookedUp.length = 0;
    expect(await scanOwned(s, "f", all, "dev", 1)).toEqual({ revisions: [{ ref: all[4], owner: "dev" }], total: 2 });
    expect(await scanOwned(s, "f", all, "dev", 1, "unowned")).toEqual({ revisions: [{ ref: all[7], owner: null }], total: 3 });
    expect(await scanOwned(s, "f", all, "test", 1, "unowned")).toEqual({ revisions: [{ ref: all[7], owner: null }], total: 3 });
    expect(s.lookedUp).toEqual([]);
  });
});

describe("kept owners", () => {
  it("are bounded: beyond the bound the oldest go, from the family least recently added to", () => {
    const owners = new RevisionOwners(3);
    owners.remember("a", 1, "dev");
    owners.remember("b", 1, null);
    owners.remember("a", 2, "prod");
    owners.remember("c", 1, "test");
    expect(owners.size).toBe(3);
    expect(owners.known("b", 1)).toBeUndefined();
    expect(owners.known("a", 1)).toBe("dev");
    expect(owners.known("c", 1)).toBe("test");
    // null is an owner known to be none, not an owner unknown.
    owners.remember("d", 1, null);
    expect(owners.known("d", 1)).toBeNull();
    expect(owners.known("a", 1)).toBeUndefined();
  });
});
