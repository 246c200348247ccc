import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConflictError, InputError } from "../../src/errors.js";
import { FileDeploymentLocks } from "../../src/storage/file-deployment-lock.js";
import { FileJournal } from "../../src/storage/file-journal.js";

const key = { environment: "prod", service: "shop-web" };
const dir = () => mkdtempSync(join(tmpdir(), "slipway-locks-"));

describe("FileDeploymentLocks", () => {
  it("holds a lock exclusively and lets it go on release", async () => {
    const d = dir();
    const mine = new FileDeploymentLocks(d, { pid: 100, host: "box" });
    const theirs = new FileDeploymentLocks(d, { pid: 200, host: "box", isAlive: () => true });
    const held = await mine.acquire(key, "dep-1");
    expect(JSON.parse(readFileSync(mine.fileOf(key), "utf8"))).toMatchObject({ deploymentId: "dep-1", pid: 100, host: "box" });
    await expect(theirs.acquire(key, "dep-2")).rejects.toThrow(ConflictError);
    // Another service of the same environment is not held up.
    await (await theirs.acquire({ environment: "prod", service: "shop-api" }, "dep-3")).release();
    await held.release();
    await held.release();
    await (await theirs.acquire(key, "dep-2")).release();
  });

  it("takes over from a dead process on this host, and the old holder's release leaves the new lock alone", async () => {
    const d = dir();
    const dead = await new FileDeploymentLocks(d, { pid: 100, host: "box" }).acquire(key, "dep-1");
    const next = new FileDeploymentLocks(d, { pid: 200, host: "box", isAlive: (pid) => pid !== 100 });
    const held = await next.acquire(key, "dep-2");
    expect(held.takenOverFrom).toMatchObject({ deploymentId: "dep-1", pid: 100 });
    await dead.release();
    expect(JSON.parse(readFileSync(next.fileOf(key), "utf8"))).toMatchObject({ deploymentId: "dep-2" });
  });

  it("never takes over from another host: it cannot see that process, so it says which file to delete", async () => {
    const d = dir();
    await new FileDeploymentLocks(d, { pid: 100, host: "elsewhere" }).acquire(key, "dep-1");
    const error = await new FileDeploymentLocks(d, { pid: 200, host: "box", isAlive: () => false }).acquire(key, "dep-2").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).hint).toContain(`delete ${join(d, "prod@shop-web.lock")} first`);
  });

  it("treats an unreadable lock file (torn by a crash) as nobody's", async () => {
    const d = dir();
    const locks = new FileDeploymentLocks(d, { pid: 200, host: "box" });
    writeFileSync(locks.fileOf(key), '{"deploymentId":"dep');
    await (await locks.acquire(key, "dep-2")).release();
  });
});

describe("FileJournal with an id that cannot name a file", () => {
  it("refuses it as bad input with a hint (review finding B)", async () => {
    const journal = new FileJournal(dir());
    const error = await journal.entries("a/b").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).hint).toMatch(/letters, digits, dots, hyphens and underscores/);
  });
});
