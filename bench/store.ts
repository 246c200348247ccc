/**
 * What the store costs a deployment: opening it (a new PGlite directory, an existing one, a PostgreSQL), and the
 * writes a deployment makes — journal entries, events, a gate decided — per second, sequentially as a deployment
 * makes them. With BENCH_DATABASE_URL set, the same figures for PostgreSQL. The hand-over between two processes
 * sharing PGlite is measured by test/storage/store-processes.test.ts; this bench is one process.
 *   npm run bench:store
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/storage/open-store.js";
import type { Store } from "../src/engine/store.js";

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await work();
  return [value, ms(start)];
}

async function writes(store: Store, label: string, n: number): Promise<void> {
  const id = `bench-${label}-${Date.now()}`;
  const [, journal] = await timed(async () => {
    for (let i = 0; i < n; i += 1) await store.journal.append({ deploymentId: id, step: "bench", actionKey: `a${i}`, actionKind: "bench", phase: i % 2 === 0 ? "started" : "succeeded", summary: `action ${i}` });
  });
  const [, events] = await timed(async () => {
    for (let i = 0; i < n; i += 1) await store.events.append({ deploymentId: id, type: "note", message: `note ${i}` });
  });
  const [read, since] = await timed(() => store.events.since(id, 0));
  const [, gates] = await timed(async () => {
    for (let i = 0; i < n / 10; i += 1) {
      await store.approvals.open({ deploymentId: id, stage: `gate ${i}`, summary: "bench" });
      await store.approvals.decide({ deploymentId: id, stage: `gate ${i}`, verdict: "approved", by: "bench" });
    }
  });
  console.log(`  ${n} journal appends: ${journal.toFixed(0)} ms (${((n / journal) * 1000).toFixed(0)}/s)`);
  console.log(`  ${n} event appends:   ${events.toFixed(0)} ms (${((n / events) * 1000).toFixed(0)}/s)`);
  console.log(`  events since (${read.length} rows): ${since.toFixed(1)} ms`);
  console.log(`  ${n / 10} gates opened and decided: ${gates.toFixed(0)} ms (${(gates / (n / 10)).toFixed(1)} ms each)`);
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_WRITES ?? 500);
  const dir = mkdtempSync(join(tmpdir(), "slipway-bench-store-"));
  try {
    console.log("embedded PGlite");
    const [fresh, create] = await timed(() => openStore({ stateDir: dir, project: "bench" }));
    console.log(`  open a new directory (create + migrate): ${create.toFixed(0)} ms`);
    await writes(fresh, "pglite", n);
    await fresh.close();
    const [again, reopen] = await timed(() => openStore({ stateDir: dir, project: "bench" }));
    await again.releases.list();
    console.log(`  reopen an existing directory in the same process: ${reopen.toFixed(0)} ms`);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    console.log("\nPostgreSQL: set BENCH_DATABASE_URL to measure it too");
    return;
  }
  console.log("\nPostgreSQL");
  const [pg, open] = await timed(() => openStore({ stateDir: dir, project: `bench-${Date.now()}`, databaseUrl: url }));
  console.log(`  connect + migrate: ${open.toFixed(0)} ms`);
  await writes(pg, "pg", n);
  await pg.close();
}

await main();
