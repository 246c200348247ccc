import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from "node:zlib";
import { packageRoot } from "../../config/package-root.js";
import { migrate, migrations as allMigrations, type Migration } from "./migrations.js";

/**
 * A new embedded store does not run PostgreSQL's initdb in the user's folder (5–10 s and ~850 MB of memory with
 * PGlite): it starts as a copy of a data directory made once, when slipway is built, by the same PGlite with the
 * store's migrations applied. The copy is a brotli-compressed tar (~1.6 MB; the directory is ~40 MB, mostly three
 * near-identical databases that brotli's large window folds together) with a manifest saying what made it.
 * A template is used only when it was made by exactly this PGlite (so the same PostgreSQL and catalog version)
 * and the migrations it holds are the first ones of this slipway's; anything else — missing, made by another
 * PGlite, other migrations, a damaged archive — leaves the new directory to PGlite's initdb, as before.
 */

/** Bump when the archive's layout or the manifest's meaning changes. */
const templateFormat = 1;
const archiveName = "pgdata.tar.br";
const manifestName = "manifest.json";

export interface TemplateManifest {
  format: number;
  /** The version of @electric-sql/pglite that made it. */
  pglite: string;
  /** Its data directory's PG_VERSION (PostgreSQL's major version). */
  pgVersion: string;
  /** The migrations applied in it, and a fingerprint of their statements. */
  migrations: number[];
  migrationsSha256: string;
  /** pg_control's system identifier: every store made from this template shares it (tests tell them apart by it). */
  systemIdentifier: string;
  archive: string;
  archiveSha256: string;
  /** Bytes of the uncompressed tar. */
  tarBytes: number;
}

/** Where the build leaves the template: dist/store-template/ in slipway's package. */
export function packagedTemplateDir(): string {
  return path.join(packageRoot(), "dist", "store-template");
}

/** The installed @electric-sql/pglite's version, from its package.json. */
export function installedPgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  let dir = path.dirname(entry);
  for (;;) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "@electric-sql/pglite" && pkg.version) return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`@electric-sql/pglite's package.json was not found above ${entry}`);
    dir = parent;
  }
}

/** A fingerprint of the migrations (ids, names and every statement): a template holds exactly these. */
export function migrationsFingerprint(list: readonly Migration[]): string {
  return createHash("sha256")
    .update(JSON.stringify(list.map((m) => [m.id, m.name, m.statements])))
    .digest("hex");
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/** Unpacked from the template; or the directory held a database already; or it is left to initdb, and why. */
export type SeedOutcome = { outcome: "seeded" } | { outcome: "existing" } | { outcome: "initdb"; reason: string };

/**
 * Why the template in `templateDir` cannot start a store of this slipway, or undefined when it can. Its
 * migrations must be the first of `current` exactly (the store's migrate() runs the rest on top).
 */
export function templateMismatch(manifest: TemplateManifest, current: readonly Migration[] = allMigrations): string | undefined {
  if (manifest.format !== templateFormat) return `template format ${manifest.format}, this slipway reads ${templateFormat}`;
  const pglite = installedPgliteVersion();
  if (manifest.pglite !== pglite) return `made by PGlite ${manifest.pglite}, this is PGlite ${pglite}`;
  const prefix = current.slice(0, manifest.migrations.length);
  if (prefix.length !== manifest.migrations.length || prefix.some((m, i) => m.id !== manifest.migrations[i])) return `holds migrations ${manifest.migrations.join(",")}, which are not this slipway's first ones`;
  if (migrationsFingerprint(prefix) !== manifest.migrationsSha256) return "its migrations differ from this slipway's";
  return undefined;
}

function readManifest(templateDir: string): TemplateManifest {
  return JSON.parse(readFileSync(path.join(templateDir, manifestName), "utf8")) as TemplateManifest;
}

/**
 * Makes `dataDir` a copy of the template when it holds no database yet (missing, or an empty folder) and the
 * template fits. The copy is unpacked beside it and renamed into place, so `dataDir` is either absent or whole,
 * even when the process dies half-way. The caller holds the data directory's lock: leftovers of an unpacking that
 * died are removed. Never throws for the template's sake: whatever is wrong with it is the reason it was not used.
 */
export async function seedFromTemplate(dataDir: string, templateDir: string): Promise<SeedOutcome> {
  const parent = path.dirname(dataDir);
  const base = path.basename(dataDir);
  const partial = `${base}.unpacking-`;
  // Only the lock's holder unpacks, so any unpacking left here belongs to a process that died.
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (name.startsWith(partial)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
  try {
    const existing = await readdir(dataDir);
    if (existing.length > 0) return { outcome: "existing" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let manifest: TemplateManifest;
  let archive: Buffer;
  try {
    manifest = readManifest(templateDir);
    const mismatch = templateMismatch(manifest);
    if (mismatch) return { outcome: "initdb", reason: mismatch };
    archive = readFileSync(path.join(templateDir, manifest.archive));
  } catch (error) {
    return { outcome: "initdb", reason: `no template at ${templateDir}: ${(error as Error).message}` };
  }
  if (sha256(archive) !== manifest.archiveSha256) return { outcome: "initdb", reason: `${manifest.archive} is damaged (its checksum differs from the manifest's)` };

  const target = path.join(parent, `${partial}${randomBytes(4).toString("hex")}`);
  try {
    const tar = brotliDecompressSync(archive);
    if (tar.length !== manifest.tarBytes) return { outcome: "initdb", reason: `${manifest.archive} unpacks to ${tar.length} bytes, not ${manifest.tarBytes}` };
    await mkdir(parent, { recursive: true });
    untar(tar, target);
    const pgVersion = readFileSync(path.join(target, "PG_VERSION"), "utf8").trim();
    if (pgVersion !== manifest.pgVersion) return { outcome: "initdb", reason: `its PG_VERSION is ${pgVersion}, the manifest says ${manifest.pgVersion}` };
    // An empty folder would make the rename fail on some systems: the copy replaces it.
    if (existsSync(dataDir)) await rmdir(dataDir);
    await rename(target, dataDir);
    return { outcome: "seeded" };
  } catch (error) {
    return { outcome: "initdb", reason: `unpacking the template failed: ${(error as Error).message}` };
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

/** Whether `templateDir` holds a template that fits this slipway and its archive is whole. */
export function templateIsCurrent(templateDir: string): boolean {
  try {
    const manifest = readManifest(templateDir);
    return templateMismatch(manifest) === undefined && sha256(readFileSync(path.join(templateDir, manifest.archive))) === manifest.archiveSha256;
  } catch {
    return false;
  }
}

/**
 * Makes the template in `templateDir` (replacing what is there): a new PGlite data directory, created and migrated
 * in a scratch folder, then packed. Takes as long as initdb (several seconds), at build time.
 */
export async function buildTemplate(templateDir: string, scratchDir: string): Promise<TemplateManifest> {
  // Imported here: the database module seeds from templates, so a static import would be circular.
  const { PgliteDatabase } = await import("./pglite-database.js");
  const dataDir = path.join(scratchDir, "pgdata");
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  // Opened as the store opens it (same settings), but with no template: this is where initdb runs.
  const db = await PgliteDatabase.open(dataDir);
  let applied: number[];
  let systemIdentifier: string;
  try {
    await migrate(db);
    applied = (await db.query<{ id: number }>("select id from slipway_migrations order by id")).map((r) => Number(r.id));
    systemIdentifier = (await db.query<{ id: string }>("select system_identifier::text as id from pg_control_system()"))[0]?.id ?? "";
  } finally {
    // A clean shutdown, so the copies open without recovery.
    await db.close();
  }
  const tar = packTar(dataDir);
  const archive = brotliCompressSync(tar, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: tar.length } });
  const manifest: TemplateManifest = {
    format: templateFormat,
    pglite: installedPgliteVersion(),
    pgVersion: readFileSync(path.join(dataDir, "PG_VERSION"), "utf8").trim(),
    migrations: applied,
    migrationsSha256: migrationsFingerprint(allMigrations.filter((m) => applied.includes(m.id))),
    systemIdentifier,
    archive: archiveName,
    archiveSha256: sha256(archive),
    tarBytes: tar.length,
  };
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(templateDir, { recursive: true });
  // The manifest goes first and comes back last: a template whose manifest is there is whole.
  rmSync(path.join(templateDir, manifestName), { force: true });
  writeFileSync(path.join(templateDir, archiveName), archive);
  writeFileSync(path.join(templateDir, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/* A data directory as a POSIX ustar archive: directories and regular files only, which is all PGlite makes. */

function packTar(root: string): Buffer {
  const blocks: Buffer[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const info = statSync(path.join(root, relPath));
      if (info.isDirectory()) {
        blocks.push(tarHeader(`${relPath}/`, 0, "5"));
        walk(relPath);
      } else if (info.isFile()) {
        const data = readFileSync(path.join(root, relPath));
        blocks.push(tarHeader(relPath, data.length, "0"), data, Buffer.alloc((512 - (data.length % 512)) % 512));
      } else {
        throw new Error(`${relPath} in the template's data directory is neither a file nor a folder`);
      }
    }
  };
  walk("");
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function tarHeader(name: string, size: number, type: "0" | "5"): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`${name}: too long a name for the template's archive`);
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, "utf8");
  header.write(type === "5" ? "0000755\0" : "0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  header.write("00000000000\0", 136);
  header.write("        ", 148);
  header.write(type, 156);
  header.write("ustar\u000000", 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

function untar(tar: Buffer, into: string): void {
  mkdirSync(into, { recursive: true });
  const field = (header: Buffer, start: number, length: number) => {
    const raw = header.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString("utf8");
  };
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header[0] === 0) return;
    const name = field(header, 0, 100);
    const size = parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = field(header, 156, 1) || "0";
    // Names are the packer's own; still, nothing may land outside the folder.
    const target = path.resolve(into, name);
    if (!target.startsWith(path.resolve(into) + path.sep)) throw new Error(`${name} points outside the data directory`);
    offset += 512;
    if (type === "5") mkdirSync(target, { recursive: true });
    else if (type === "0") {
      if (offset + size > tar.length) throw new Error(`${name} is cut short`);
      writeFileSync(target, tar.subarray(offset, offset + size));
    } else throw new Error(`${name}: unexpected entry type ${type}`);
    offset += Math.ceil(size / 512) * 512;
  }
  throw new Error("the archive ends without its end marker");
}
