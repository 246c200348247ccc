import { describe, expect, it } from "vitest";
import { FreshnessCache } from "../../feed/catalog/cache.js";
import { LoadQueue } from "../../feed/catalog/load-queue.js";

/** A loader the test controls: counts its calls, and each call waits until the test settles it. */
function controlledLoader<V>() {
  const pending: { resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  return {
    calls: () => pending.length,
    load: () => new Promise<V>((resolve, reject) => pending.push({ resolve, reject })),
    resolve: (value: V, index = pending.length - 1) => pending[index]?.resolve(value),
    reject: (error: unknown, index = pending.length - 1) => pending[index]?.reject(error),
  };
}

function setup(options: { freshMs?: number; retryAfterErrorMs?: number; maxEntries?: number } = {}) {
  let now = 1_000_000;
  const cache = new FreshnessCache<string>({ freshMs: 30_000, clock: () => now, ...options });
  return { cache, advance: (ms: number) => (now += ms), now: () => now };
}

describe("FreshnessCache", () => {
  it("loads once, then serves the answer without loading until the freshness window ends", async () => {
    const { cache, advance } = setup();
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get("k", load)).toMatchObject({ value: "v1", stale: false });
    advance(29_999);
    expect((await cache.get("k", load)).value).toBe("v1");
    advance(1);
    expect((await cache.get("k", load)).value).toBe("v2");
    expect(loads).toBe(2);
  });

  it("collapses concurrent look-ups of one key into one load (single flight)", async () => {
    const { cache } = setup();
    const loader = controlledLoader<string>();
    const waiting = Array.from({ length: 50 }, () => cache.get("k", loader.load));
    expect(loader.calls()).toBe(1);
    loader.resolve("shared");
    const answers = await Promise.all(waiting);
    expect(new Set(answers.map((a) => a.value))).toEqual(new Set(["shared"]));
    expect(loader.calls()).toBe(1);
  });

  it("loads different keys separately", async () => {
    const { cache } = setup();
    const loader = controlledLoader<string>();
    void cache.get("a", loader.load);
    void cache.get("b", loader.load);
    expect(loader.calls()).toBe(2);
  });

  it("passes a failure on when there is no earlier answer, and does not keep it", async () => {
    const { cache } = setup();
    await expect(cache.get("k", () => Promise.reject(new Error("ECS down")))).rejects.toThrow("ECS down");
    expect((await cache.get("k", async () => "later")).value).toBe("later");
  });

  it("serves the last good answer flagged stale when reloading fails, and backs off before trying again", async () => {
    const { cache, advance } = setup({ retryAfterErrorMs: 5_000 });
    await cache.get("k", async () => "good");
    advance(31_000);
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new Error("ECS down"));
    };
    expect(await cache.get("k", failing)).toMatchObject({ value: "good", stale: true, readAt: 1_000_000 });
    advance(4_999);
    expect(await cache.get("k", failing)).toMatchObject({ value: "good", stale: true });
    expect(attempts).toBe(1);
    advance(1);
    expect(await cache.get("k", failing)).toMatchObject({ value: "good", stale: true });
    expect(attempts).toBe(2);
    expect(await cache.get("k", async () => "better")).toMatchObject({ value: "good", stale: true });
    advance(5_000);
    expect(await cache.get("k", async () => "better")).toMatchObject({ value: "better", stale: false });
  });

  it("refreshes a hot key ahead of expiry by as long as its last load took, so loads stay a window apart", async () => {
    const { cache, advance } = setup();
    const first = controlledLoader<string>();
    const filling = cache.get("k", first.load);
    advance(3_000); // the first load takes 3 s: it starts at 0 and the answer is fresh until 33 s
    first.resolve("v1");
    await filling;
    const loader = controlledLoader<string>();
    advance(26_999);
    expect((await cache.get("k", loader.load)).value).toBe("v1");
    expect(loader.calls()).toBe(0);
    advance(1); // 30 s after the first load started
    expect((await cache.get("k", loader.load)).value).toBe("v1");
    expect((await cache.get("k", loader.load)).value).toBe("v1");
    expect((await cache.get("k", loader.load)).value).toBe("v1");
    expect(loader.calls()).toBe(1);
    loader.resolve("v2");
    await new Promise((r) => setImmediate(r));
    expect((await cache.get("k", loader.load)).value).toBe("v2");
  });

  it("keeps a value-dependent freshness window (e.g. a short one for 'not found')", async () => {
    let now = 0;
    const cache = new FreshnessCache<string | undefined>({ freshMs: (v) => (v === undefined ? 1_000 : 60_000), clock: () => now });
    let loads = 0;
    await cache.get("missing", async () => (loads++, undefined));
    await cache.get("found", async () => (loads++, "x"));
    now = 2_000;
    await cache.get("missing", async () => (loads++, undefined));
    await cache.get("found", async () => (loads++, "x"));
    expect(loads).toBe(3);
  });

  it("holds at most maxEntries answers, dropping the oldest", async () => {
    const { cache } = setup({ maxEntries: 2 });
    for (const k of ["a", "b", "c"]) await cache.get(k, async () => k);
    expect(cache.size).toBe(2);
    let reloaded = false;
    await cache.get("a", async () => ((reloaded = true), "a"));
    expect(reloaded).toBe(true);
  });
});

describe("FreshnessCache while a reload is slow", () => {
  it("lets a request wait for an expired answer's reload only so long, then answers the old one, stale", async () => {
    let now = 0;
    const cache = new FreshnessCache<string>({ freshMs: 30_000, reloadWaitMs: 20, clock: () => now });
    await cache.get("k", async () => "v1");
    now = 31_000;
    const loader = controlledLoader<string>();
    const started = Date.now();
    expect(await cache.get("k", loader.load)).toMatchObject({ value: "v1", stale: true, readAt: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    // Later requests in the same reload get the old answer at once.
    expect(await cache.get("k", loader.load)).toMatchObject({ value: "v1", stale: true });
    expect(loader.calls()).toBe(1);
    loader.resolve("v2");
    await new Promise((r) => setImmediate(r));
    expect(await cache.get("k", loader.load)).toMatchObject({ value: "v2", stale: false });
  });

  it("makes a first load wait however long it takes: there is nothing older to answer", async () => {
    const cache = new FreshnessCache<string>({ freshMs: 30_000, reloadWaitMs: 1 });
    const loader = controlledLoader<string>();
    const answer = cache.get("k", loader.load);
    await new Promise((r) => setTimeout(r, 10));
    loader.resolve("v1");
    expect(await answer).toMatchObject({ value: "v1", stale: false });
  });
});

describe("LoadQueue", () => {
  it("runs at most `concurrency` loads at once, first loads before refreshes", async () => {
    const queue = new LoadQueue(1);
    const order: string[] = [];
    let release: () => void = () => undefined;
    const blocker = queue.run("first", () => new Promise<void>((r) => (release = r)));
    const refresh = queue.run("refresh", async () => void order.push("refresh"));
    const first = queue.run("first", async () => void order.push("first"));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    release();
    await Promise.all([blocker, refresh, first]);
    expect(order).toEqual(["first", "refresh"]);
  });

  it("frees its slot when a load fails", async () => {
    const queue = new LoadQueue(1);
    await expect(queue.run("first", () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await queue.run("first", async () => "next")).toBe("next");
  });
});

describe("FreshnessCache load context", () => {
  it("tells a load whether it refreshes an earlier answer", async () => {
    let now = 0;
    const cache = new FreshnessCache<string>({ freshMs: 10, clock: () => now });
    const seen: boolean[] = [];
    await cache.get("k", async ({ refresh }) => (seen.push(refresh), "v"));
    now = 20;
    await cache.get("k", async ({ refresh }) => (seen.push(refresh), "v"));
    expect(seen).toEqual([false, true]);
  });

  it("hands a refresh the last good answer to build on, and a first load none", async () => {
    let now = 0;
    const cache = new FreshnessCache<string>({ freshMs: 10, clock: () => now });
    const seen: (string | undefined)[] = [];
    await cache.get("k", async ({ previous }) => (seen.push(previous), "v1"));
    now = 20;
    await cache.get("k", async ({ previous }) => (seen.push(previous), `${previous ?? ""}+v2`));
    expect(seen).toEqual([undefined, "v1"]);
    expect((await cache.get("k", async () => "unused")).value).toBe("v1+v2");
  });

  it("amends a held answer without changing when it was read or is due, and ignores one not held", async () => {
    let now = 0;
    const cache = new FreshnessCache<string>({ freshMs: 30_000, clock: () => now });
    await cache.get("k", async () => "v1");
    now = 10_000;
    cache.amend("k", (v) => `${v}, amended`);
    cache.amend("absent", () => "never");
    expect(await cache.get("k", async () => "reloaded")).toMatchObject({ value: "v1, amended", readAt: 0, stale: false });
    expect(cache.size).toBe(1);
    now = 30_000;
    expect((await cache.get("k", async () => "reloaded")).value).toBe("reloaded");
  });

  it("times the next refresh from when the load asked its source, not from when it was queued", async () => {
    let now = 0;
    const cache = new FreshnessCache<string>({ freshMs: 30_000, clock: () => now });
    await cache.get("k", async ({ askingSource }) => {
      now = 5_000; // waited 5 s in a queue
      askingSource();
      now = 6_000;
      return "v1";
    });
    let reloads = 0;
    now = 34_999;
    await cache.get("k", async () => (reloads++, "v2"));
    expect(reloads).toBe(0);
    now = 35_000;
    await cache.get("k", async () => (reloads++, "v2"));
    expect(reloads).toBe(1);
  });
});
