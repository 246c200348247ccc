import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openProjectStore } from "../../src/cli/commands/project-store.js";
import type { LockKey } from "../../src/engine/deployment-lock.js";
import type { Store } from "../../src/engine/store.js";
import { ConflictError } from "../../src/errors.js";
import { freshEmbeddedStateDir } from "../storage/store-backends.js";

/**
 * The project stores a test opens — the same store the CLI opens for the project (PGlite in .slipway/db beside
 * the project file, or DATABASE_URL), as another terminal's slipway would — one handle per project file, all
 * closed by closeAll() (call it in afterEach/afterAll). Within this process a handle shares the database engine
 * of the slipway commands run in-process (runCli); a slipway in another process is handed the database over.
 */
export class ProjectStores {
  private readonly opened = new Map<string, Promise<Store>>();

  /** The project's store, opened on first use. */
  of(projectFile: string, projectName = "shop"): Promise<Store> {
    let store = this.opened.get(projectFile);
    if (!store) {
      store = openProjectStore(projectFile, projectName);
      this.opened.set(projectFile, store);
    }
    return store;
  }

  async closeAll(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    for (const store of all) await (await store.catch(() => undefined))?.close();
  }
}

/**
 * Gives a new project directory an embedded store that is already created and migrated (a copy of one made once
 * per test file): the first open of a new PGlite directory takes seconds, opening a copy a fraction of that. With
 * DATABASE_URL set the CLI uses PostgreSQL and there is nothing to seed.
 */
export async function seedProjectStore(projectDir: string): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const fresh = await freshEmbeddedStateDir();
  mkdirSync(join(projectDir, ".slipway"), { recursive: true });
  renameSync(join(fresh, "db"), join(projectDir, ".slipway", "db"));
  rmSync(fresh, { recursive: true, force: true });
}

/** Polls the store until the deployment has a gate waiting for a decision (opening one may wait for the database). */
export async function untilGateOpen(store: Pick<Store, "approvals">, deploymentId: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await store.approvals.list({ open: true })).some((g) => g.deploymentId === deploymentId)) {
    if (Date.now() > deadline) throw new Error(`no gate of deployment ${deploymentId} opened within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Whether a service's deployment lock is free, by taking it and letting it go at once: "free", or who still holds
 * it, or who left it behind (a holder that is gone, from whom taking it was a take-over, not a free lock).
 */
export async function lockState(store: Store, key: LockKey): Promise<string> {
  try {
    const lock = await store.locks.acquire(key, `lock-probe-${process.pid}`);
    await lock.release();
    return lock.takenOverFrom ? `left behind by ${lock.takenOverFrom.deploymentId} (pid ${lock.takenOverFrom.pid})` : "free";
  } catch (error) {
    if (error instanceof ConflictError) return `held: ${error.message}`;
    throw error;
  }
}
