import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open-store.js";
import { migrate, migrations } from "../../src/storage/sql/migrations.js";
import { PgliteDatabase } from "../../src/storage/sql/pglite-database.js";
import { packagedTemplateDir, seedFromTemplate, templateMismatch, type TemplateManifest } from "../../src/storage/sql/pglite-template.js";
import { tempStateDir } from "./store-backends.js";
import { StoreChild } from "./store-children.js";

/**
 * A new project's embedded store is unpacked from the template `npm run build` makes (dist/store-template), not made
 * by initdb; a template that does not fit this PGlite or these migrations is never used.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function place(): string {
  const dir = tempStateDir();
  dirs.push(dir);
  return dir;
}

const packaged = packagedTemplateDir();
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as TemplateManifest;

/** A copy of the built template with its manifest changed. */
function alteredTemplate(change: (m: TemplateManifest) => void): string {
  const dir = join(place(), "template");
  cpSync(packaged, dir, { recursive: true });
  const manifest = manifestOf(dir);
  change(manifest);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  return dir;
}

async function systemIdentifier(stateDir: string): Promise<string> {
  const db = await PgliteDatabase.open(join(stateDir, "db"));
  try {
    return (await db.query<{ id: string }>("select system_identifier::text as id from pg_control_system()"))[0]?.id ?? "";
  } finally {
    await db.close();
  }
}

describe("the store template", () => {
  it("is built, for this PGlite and every migration", () => {
    expect(existsSync(join(packaged, "manifest.json")), `${packaged} is missing: npm run build makes it`).toBe(true);
    const manifest = manifestOf(packaged);
    expect(manifest.migrations).toEqual(migrations.map((m) => m.id));
    expect(templateMismatch(manifest)).toBeUndefined();
  });

  it("starts a new project's store, which works and has nothing left to migrate", async () => {
    const stateDir = place();
    const store = await openStore({ stateDir, project: "shop" });
    try {
      await store.releases.create({ project: "shop", version: "1.0.0", channel: "stable", createdBy: "cli:ana", snapshot: { steps: [], variables: {} } });
      expect((await store.releases.list()).map((r) => r.version)).toEqual(["1.0.0"]);
    } finally {
      await store.close();
    }
    // The very database the template holds, not one initdb made.
    expect(await systemIdentifier(stateDir)).toBe(manifestOf(packaged).systemIdentifier);
    const db = await PgliteDatabase.open(join(stateDir, "db"));
    try {
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(readdirSync(stateDir).filter((n) => n.includes("unpacking"))).toEqual([]);
  });

  it("is not used for a folder that holds a database already", async () => {
    const stateDir = place();
    await (await openStore({ stateDir, project: "shop" })).close();
    expect(await seedFromTemplate(join(stateDir, "db"), packaged)).toEqual({ outcome: "existing" });
  });

  it("is ignored when another PGlite made it, when its migrations differ, or when its archive is damaged", async () => {
    const cases: [string, string, RegExp][] = [
      ["another PGlite", alteredTemplate((m) => (m.pglite = "0.0.1")), /made by PGlite 0\.0\.1, this is PGlite /],
      ["edited migrations", alteredTemplate((m) => (m.migrationsSha256 = "0".repeat(64))), /its migrations differ/],
      ["migrations this slipway lacks", alteredTemplate((m) => m.migrations.push(999)), /not this slipway's first ones/],
      ["another format", alteredTemplate((m) => (m.format = 99)), /template format 99/],
      ["a damaged archive", alteredTemplate((m) => (m.archiveSha256 = "0".repeat(64))), /damaged/],
    ];
    for (const [what, template, reason] of cases) {
      const dataDir = join(place(), "db");
      const outcome = await seedFromTemplate(dataDir, template);
      expect(outcome.outcome, what).toBe("initdb");
      expect(outcome.outcome === "initdb" && outcome.reason, what).toMatch(reason);
      expect(existsSync(dataDir), what).toBe(false);
    }
    const missing = await seedFromTemplate(join(place(), "db"), join(place(), "nothing-here"));
    expect(missing.outcome === "initdb" && missing.reason).toMatch(/^no template at /);
  });

  it("a template that does not fit leaves the new store to initdb, which works", async () => {
    const stateDir = place();
    const template = alteredTemplate((m) => (m.pglite = "0.0.1"));
    const store = await openStore({ stateDir, project: "shop", embedded: { template } });
    try {
      expect(await store.releases.list()).toEqual([]);
    } finally {
      await store.close();
    }
    expect(await systemIdentifier(stateDir)).not.toBe(manifestOf(packaged).systemIdentifier);
  });

  it("an unpacking left by a process that died is removed, and an empty folder is filled", async () => {
    const stateDir = place();
    mkdirSync(join(stateDir, "db.unpacking-deadbeef", "base"), { recursive: true });
    mkdirSync(join(stateDir, "db"));
    expect(await seedFromTemplate(join(stateDir, "db"), packaged)).toEqual({ outcome: "seeded" });
    expect(readdirSync(stateDir).sort()).toEqual(["db"]);
    expect(readFileSync(join(stateDir, "db", "PG_VERSION"), "utf8").trim()).toBe(manifestOf(packaged).pgVersion);
  });

  it("two processes starting at once in a new project share one store made from it", async () => {
    const stateDir = place();
    const body = `const store = await openStore({ stateDir: args.stateDir, project: "shop" });
      await store.releases.create({ project: "shop", version: args.version, channel: "stable", createdBy: "cli:" + args.version, snapshot: { steps: [], variables: {} } });
      await store.close();
      say({ done: args.version });`;
    const children = ["1.0.0", "2.0.0"].map((version) => new StoreChild(body, { stateDir, version }));
    try {
      await Promise.all(children.map((c) => c.until("done", 60_000)));
      await Promise.all(children.map((c) => c.finished()));
    } finally {
      children.forEach((c) => c.kill());
    }
    const store = await openStore({ stateDir, project: "shop" });
    try {
      expect((await store.releases.list()).map((r) => r.version).sort()).toEqual(["1.0.0", "2.0.0"]);
    } finally {
      await store.close();
    }
    expect(await systemIdentifier(stateDir)).toBe(manifestOf(packaged).systemIdentifier);
    expect(readdirSync(stateDir).filter((n) => n.includes("unpacking"))).toEqual([]);
  });
});
