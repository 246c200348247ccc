import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Express } from "express";
import { container, startFeedWorld, type FeedWorld } from "./feed-world.js";

/** More revisions than one ListTaskDefinitions page (100), so a whole listing takes two calls. */
const revisionCount = 150;
const versionsPath = "/v1/environments/dev/packages/big/versions?pageSize=100";
const inactivePath = `${versionsPath}&status=INACTIVE`;
const freshMs = 30_000;

describe("incremental refreshes of a family's revisions", () => {
  let w: FeedWorld;
  let app: Express;
  const listed = async (path = versionsPath): Promise<number[]> => {
    const answer = await w.get(app, path);
    expect(answer.status).toBe(200);
    return (answer.body as { items: { revision: number }[] }).items.map((i) => i.revision);
  };
  const listings = () => w.ecsCalls("ecs:ListTaskDefinitions");

  beforeEach(async () => {
    w = await startFeedWorld();
    for (let i = 1; i <= revisionCount; i++) await w.dev.register({ family: "big", containerDefinitions: [container(`big/web:${i}`)] });
    // The default reconcile window: 10 × the freshness window.
    app = w.app({ freshMs });
    await listed();
    await w.h.control("DELETE", "calls");
  });
  afterEach(() => w.close());

  it("refreshes an unchanged family with one ListTaskDefinitions call, not a whole listing", async () => {
    for (let refresh = 1; refresh <= 3; refresh++) {
      w.clock.advance(freshMs);
      expect((await listed()).length).toBe(100);
      expect(await listings()).toBe(refresh);
    }
  });

  it("shows a revision registered since after one freshness window", async () => {
    await w.dev.register({ family: "big", containerDefinitions: [container("big/web:151")] });
    w.clock.advance(freshMs - 1_000);
    expect((await listed())[0]).toBe(150);
    w.clock.advance(1_000);
    const refreshed = await listed();
    expect(refreshed.slice(0, 2)).toEqual([151, 150]);
    expect(await listings()).toBe(1);
    const all = await w.get(app, versionsPath.replace("pageSize=100", "pageSize=100&page=2"));
    expect(all.body.paging).toMatchObject({ totalItems: 151 });
  });

  it("drops a revision deregistered among the newest at the next refresh, and lists it INACTIVE", async () => {
    expect(await listed(inactivePath)).toEqual([]);
    await w.h.control("DELETE", "calls");
    await w.dev.deregister("big:149");
    w.clock.advance(freshMs);
    expect((await listed()).slice(0, 3)).toEqual([150, 148, 147]);
    // The INACTIVE listing is kept for the reconcile window, but learns what left the ACTIVE one.
    expect(await listed(inactivePath)).toEqual([149]);
    expect(await listings()).toBe(1);
  });

  it("drops an older deregistered revision once the reconcile window has passed, reading the listing whole in the background", async () => {
    const secondPage = `${versionsPath}&page=2`;
    await w.dev.deregister("big:2");
    w.clock.advance(freshMs);
    // Below the newest page only a whole listing tells: until the reconcile window passes, 2 is still listed.
    expect(await listed(secondPage)).toContain(2);
    w.clock.advance(10 * freshMs - freshMs - 1_000); // 299 s after the whole listing
    expect(await listed(secondPage)).toContain(2);
    expect(await listings()).toBe(2);

    w.clock.advance(freshMs); // the first refresh past the reconcile window
    expect((await listed())[0]).toBe(150);
    await vi.waitFor(async () => expect(await listed(secondPage)).not.toContain(2));
    expect(await listed(secondPage)).toEqual(Array.from({ length: 50 }, (_, i) => 50 - i).filter((r) => r !== 2));
    // The incremental read, then the two pages of the whole listing.
    expect(await listings()).toBe(5);
    expect(await listed(inactivePath)).toEqual([2]);

    // The whole listing restarted the reconcile window: the next refreshes are one call again.
    w.clock.advance(freshMs);
    await listed();
    expect(await listings()).toBe(7); // 6 was the INACTIVE listing's first (whole) read
  });

  it("keeps an INACTIVE listing for the reconcile window, then reads it whole again", async () => {
    await w.dev.deregister("big:3");
    expect(await listed(inactivePath)).toEqual([3]);
    await w.dev.deregister("big:4");
    w.clock.advance(10 * freshMs - 1_000);
    expect(await listed(inactivePath)).toEqual([3]);
    w.clock.advance(1_000);
    expect(await listed(inactivePath)).toEqual([4, 3]);
    expect(await listings()).toBe(2);
  });
});
