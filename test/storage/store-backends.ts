import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { Store } from "../../src/engine/store.js";
import { openStore, type OpenStoreOptions } from "../../src/storage/open-store.js";
import type { SqlDatabase } from "../../src/storage/sql/database.js";
import { PgliteDatabase } from "../../src/storage/sql/pglite-database.js";
import { PostgresDatabase } from "../../src/storage/sql/postgres-database.js";

/** A PostgreSQL for the tests (.ci/run starts one); without it the PostgreSQL cases are skipped. */
export const postgresUrl = process.env.SLIPWAY_TEST_DATABASE_URL || undefined;

/** Test files run in parallel on one PostgreSQL: each test keeps to a project of its own. */
export function uniqueProject(label: string): string {
  return `test-${label}-${randomBytes(4).toString("hex")}`;
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), "slipway-store-"));
}

let template: string | undefined;
// Tests remove the copies they make; the template goes after the last test of the file that made it (a helper's
// hook registered as the file imports it belongs to that file).
afterAll(() => {
  if (template) rmSync(template, { recursive: true, force: true });
  template = undefined;
});

/**
 * A new .slipway folder whose embedded database is already created and migrated: a copy of one made once per
 * test file, since creating a PGlite database takes a couple of seconds and copying one a fraction of that.
 */
export async function freshEmbeddedStateDir(): Promise<string> {
  if (!template) {
    const dir = tempStateDir();
    await (await openStore({ stateDir: dir, project: "template" })).close();
    template = dir;
  }
  const dir = tempStateDir();
  cpSync(join(template, "db"), join(dir, "db"), { recursive: true });
  return dir;
}

export interface StoreBackend {
  name: string;
  available: boolean;
  /** What a child process passes to openStore to reach the same database. */
  stateDir: string;
  databaseUrl?: string;
  /** A store of `project` on this backend's database. */
  open(project: string, extra?: Partial<OpenStoreOptions>): Promise<Store>;
  /** Raw SQL on the same database, for what no port offers (tampering with a release, planting a lease). */
  database(): Promise<SqlDatabase>;
  cleanUp(): void;
}

/** The embedded PGlite in a temporary .slipway folder, and PostgreSQL when SLIPWAY_TEST_DATABASE_URL is set. */
export function storeBackends(): StoreBackend[] {
  const embeddedDir = tempStateDir();
  // openStore wants a state folder even for PostgreSQL, and uses none: nothing is made there.
  const postgresDir = join(tmpdir(), "slipway-store-unused");
  return [
    {
      name: "embedded PGlite",
      available: true,
      stateDir: embeddedDir,
      open: (project, extra) => openStore({ stateDir: embeddedDir, project, ...extra }),
      database: () => PgliteDatabase.open(join(embeddedDir, "db")),
      cleanUp: () => rmSync(embeddedDir, { recursive: true, force: true }),
    },
    {
      name: postgresUrl ? "PostgreSQL" : "PostgreSQL (skipped: set SLIPWAY_TEST_DATABASE_URL to run it, as .ci/run does)",
      available: postgresUrl !== undefined,
      stateDir: postgresDir,
      ...(postgresUrl && { databaseUrl: postgresUrl }),
      open: (project, extra) => openStore({ stateDir: postgresDir, project, ...(postgresUrl && { databaseUrl: postgresUrl }), ...extra }),
      database: () => PostgresDatabase.connect(postgresUrl ?? ""),
      cleanUp: () => undefined,
    },
  ];
}
