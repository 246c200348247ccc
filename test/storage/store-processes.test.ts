import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { openStore } from "../../src/storage/open-store.js";
import { freshEmbeddedStateDir, postgresUrl, tempStateDir, uniqueProject } from "./store-backends.js";
import { openStoreInChild, StoreChild } from "./store-children.js";

/**
 * The store as several slipway processes use it at once — each child process runs the BUILT code from dist/. In
 * one file so the embedded database is created once (a couple of seconds) and copied for each test.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const key = { environment: "prod", service: "web" };

const backends = [
  { name: "embedded PGlite", available: true, databaseUrl: undefined },
  { name: postgresUrl ? "PostgreSQL" : "PostgreSQL (skipped: set SLIPWAY_TEST_DATABASE_URL to run it, as .ci/run does)", available: postgresUrl !== undefined, databaseUrl: postgresUrl },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`deployment leases between processes on ${backend.name}`, () => {
    async function place() {
      const stateDir = backend.databaseUrl ? tempStateDir() : await freshEmbeddedStateDir();
      dirs.push(stateDir);
      return { stateDir, project: uniqueProject("lease"), ...(backend.databaseUrl && { databaseUrl: backend.databaseUrl }) };
    }

    it("two processes racing for one lease: exactly one wins, and the other is told who holds it", async () => {
      const args = await place();
      const body = `${openStoreInChild}
        say({ ready: true });
        await heard();
        try {
          const lock = await store.locks.acquire({ environment: "prod", service: "web" }, args.id);
          say({ won: args.id });
          await heard();
          await lock.release();
        } catch (error) {
          say({ lost: error.message, kind: error.kind });
        }
        await store.close();`;
      const children = ["dep-a", "dep-b"].map((id) => new StoreChild(body, { ...args, id }));
      try {
        await Promise.all(children.map((c) => c.until("ready")));
        children.forEach((c) => c.send("go"));
        const results = await Promise.all(children.map((c) => c.next()));
        const winners = results.filter((r) => "won" in r);
        const losers = results.filter((r) => "lost" in r);
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        expect(losers[0]?.kind).toBe("conflict");
        expect(losers[0]?.lost).toContain(`is being deployed by deployment ${String(winners[0]?.won)}`);
        children.forEach((c) => c.send("done"));
        await Promise.all(children.map((c) => c.finished()));
      } finally {
        children.forEach((c) => c.kill());
      }
    });

    it("a lease whose holder was killed (SIGKILL) is taken over at once, not after it expires", async () => {
      const args = await place();
      const holder = new StoreChild(
        `${openStoreInChild}
        const lock = await store.locks.acquire({ environment: "prod", service: "web" }, "dep-killed");
        say({ held: lock.holder });
        await heard();`,
        args,
      );
      try {
        await holder.until("held");
      } finally {
        holder.kill("SIGKILL");
      }
      await holder.exited;
      const store = await openStore(args);
      try {
        const started = Date.now();
        const lock = await store.locks.acquire(key, "dep-next");
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(lock.takenOverFrom).toMatchObject({ deploymentId: "dep-killed", pid: holder.process.pid });
        await lock.release();
      } finally {
        await store.close();
      }
    });
  });
}

const append = (deploymentId: string, n: string) => `store.journal.append({ deploymentId: "${deploymentId}", step: "write", actionKey: "k" + ${n}, actionKind: "test", phase: "started", summary: "entry " + ${n} })`;

describe("the embedded database shared by several processes (handed over, one at a time)", () => {
  async function place() {
    const stateDir = await freshEmbeddedStateDir();
    dirs.push(stateDir);
    return { stateDir, project: uniqueProject("embedded") };
  }

  it("a second process opens it while the first keeps writing: each reads the other's rows, both finish", async () => {
    const args = await place();
    const writer = new StoreChild(
      `${openStoreInChild}
      let stop = false;
      heard().then(() => (stop = true));
      let n = 0;
      let worstMs = 0;
      while (!stop) {
        const started = Date.now();
        await ${append("dep-a", "n")};
        worstMs = Math.max(worstMs, Date.now() - started);
        if (++n === 5) say({ writing: n });
        await new Promise((r) => setTimeout(r, 10));
      }
      say({ wrote: n, worstMs, sawB: (await store.journal.entries("dep-b")).length });
      await store.close();`,
      args,
    );
    let second: StoreChild | undefined;
    try {
      await writer.until("writing");
      second = new StoreChild(
        `const started = Date.now();
        ${openStoreInChild}
        const openedMs = Date.now() - started;
        const seen = (await store.journal.entries("dep-a")).length;
        for (let i = 1; i <= 10; i++) await ${append("dep-b", "i")};
        const mine = (await store.journal.entries("dep-b")).map((e) => e.seq);
        say({ seen, mine, openedMs, totalMs: Date.now() - started });
        await store.close();`,
        args,
      );
      const b = await second.until("seen");
      expect(b.seen).toBeGreaterThanOrEqual(5);
      expect(b.mine).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(b.totalMs).toBeLessThan(15_000);
      await second.finished();
      writer.send("stop");
      const a = await writer.until("wrote");
      expect(a.sawB).toBe(10);
      await writer.finished();

      const store = await openStore(args);
      try {
        const entries = await store.journal.entries("dep-a");
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: Number(a.wrote) }, (_, i) => i + 1));
      } finally {
        await store.close();
      }
    } finally {
      writer.kill();
      second?.kill();
    }
  });

  it("a process killed (SIGKILL) while holding it leaves it usable: the next one takes over and sees every committed row", async () => {
    const args = await place();
    const killed = new StoreChild(
      `${openStoreInChild}
      for (let n = 1; ; n++) {
        await ${append("dep-k", "n")};
        say({ committed: n });
      }`,
      args,
    );
    let said = 0;
    try {
      while (said < 20) said = Number((await killed.until("committed")).committed);
    } finally {
      killed.kill("SIGKILL");
    }
    // What it said before it died: every line is a commit that finished.
    for (const line of await killed.rest()) said = Math.max(said, Number(line.committed ?? 0));
    await killed.exited;
    const lockFile = join(args.stateDir, "db.lock");
    expect(JSON.parse(readFileSync(lockFile, "utf8"))).toMatchObject({ pid: killed.process.pid });

    const store = await openStore(args);
    try {
      const seqs = (await store.journal.entries("dep-k")).map((e) => e.seq);
      expect(seqs.length).toBeGreaterThanOrEqual(said);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect((await store.journal.append({ deploymentId: "dep-k", step: "after", actionKey: "after", actionKind: "test", phase: "started", summary: "after" })).seq).toBe(seqs.length + 1);
    } finally {
      await store.close();
    }
    expect(existsSync(lockFile)).toBe(false);
  });

  it("a process that cannot have it in time gets a ConflictError naming the holder and pointing to PostgreSQL", async () => {
    const args = await place();
    // A transaction kept open until the test says so: the holder cannot hand over in the middle of it.
    const holder = new StoreChild(
      `const { PgliteDatabase } = await import(${JSON.stringify(pathToFileURL(resolve("dist/src/storage/sql/pglite-database.js")).href)});
      const raw = await PgliteDatabase.open(args.stateDir + "/db");
      await raw.transaction(async (tx) => {
        await tx.query("select 1");
        say({ busy: true });
        await heard();
      });
      await raw.close();`,
      args,
    );
    try {
      await holder.until("busy");
      const error = await openStore({ ...args, embedded: { waitTimeoutMs: 300 } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).message).toContain(`is in use by process ${holder.process.pid}`);
      expect((error as ConflictError).hint).toContain("set DATABASE_URL to share a PostgreSQL between many processes");
      holder.send("done");
      await holder.finished();
    } finally {
      holder.kill();
    }
  });
});
