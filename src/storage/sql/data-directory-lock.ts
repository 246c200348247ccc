import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { mkdir, open, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError } from "../../errors.js";
import { processAlive } from "../process-alive.js";

/** Who has the embedded database open: enough to tell whether it still lives, and for a person to find it. */
export interface DataDirectoryOwner {
  pid: number;
  host: string;
  /** What it runs, e.g. "slipway deploy": the program and its subcommand only (arguments may hold secrets). */
  command: string;
  /** ISO 8601. */
  since: string;
  /** Tells this opening apart from an earlier one of a process that had the same pid. */
  token: string;
}

export interface DataDirectoryLockOptions {
  /** How often a waiter looks at the lock. */
  pollMs: number;
  /** How long a waiter waits before a ConflictError. */
  waitTimeoutMs: number;
  /** The database, for people: "embedded PGlite at .slipway/db". */
  location: string;
}

/** A lock file this young may still be being written by its creator: not torn yet, just new. */
const youngFileMs = 5_000;

/** The tokens of the locks this process holds now, whichever DataDirectoryLock holds them. */
const heldHere = new Set<string>();

/** "slipway deploy" rather than the whole command line, which may carry a reason, a key or a password. */
function commandOfThisProcess(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]).replace(/\.[cm]?js$/, "") : "node";
  const subcommand = process.argv[2] && /^[a-z][a-z-]*$/.test(process.argv[2]) ? ` ${process.argv[2]}` : "";
  return `${script}${subcommand}`;
}

/**
 * The exclusive right to open the PGlite data directory — PGlite is one process's database at a time — as a file
 * created with "wx" (the create fails if the file exists) beside it, holding its owner. Processes that want the
 * database announce themselves in a folder beside it, so the owner knows to hand the database over as soon as it
 * is between two units of work. An owner on this host whose process is gone (killed, crashed) holds nothing:
 * the next process takes the lock over, and PostgreSQL's own recovery finds every committed row.
 */
export class DataDirectoryLock {
  private readonly host = hostname();
  private owner: DataDirectoryOwner | undefined;

  constructor(
    readonly lockFile: string,
    readonly waitingDirectory: string,
    private readonly options: DataDirectoryLockOptions,
  ) {}

  /** This process's announcement that it waits: one file per process, named pid@host. */
  private get announcement(): string {
    return path.join(this.waitingDirectory, `${process.pid}@${encodeURIComponent(this.host)}`);
  }

  /**
   * Takes the lock, waiting — announced, so the owner hands over — while another live process holds it. The
   * announcement stays until withdraw(): the caller withdraws it once the database is open.
   */
  async acquire(): Promise<void> {
    if (this.owner) return;
    await mkdir(path.dirname(this.lockFile), { recursive: true });
    const started = Date.now();
    let announced = false;
    for (;;) {
      const mine: DataDirectoryOwner = { pid: process.pid, host: this.host, command: commandOfThisProcess(), since: new Date().toISOString(), token: randomBytes(8).toString("hex") };
      if (await createExclusive(this.lockFile, `${JSON.stringify(mine)}\n`)) {
        this.owner = mine;
        heldHere.add(mine.token);
        return;
      }
      const holder = await this.holderOf(this.lockFile);
      if (holder === "gone") continue;
      if (await this.stale(this.lockFile, holder)) {
        if (await this.clearStale(holder)) continue;
      }
      if (!announced) {
        await mkdir(this.waitingDirectory, { recursive: true });
        await writeFile(this.announcement, `${JSON.stringify({ pid: process.pid, host: this.host, command: mine.command })}\n`);
        announced = true;
      }
      if (Date.now() - started >= this.options.waitTimeoutMs) {
        await this.withdraw();
        throw this.busy(holder);
      }
      await sleep(this.options.pollMs);
    }
  }

  /**
   * After handing the database over: waits until a waiter has taken the lock (or none waits any more, or
   * `maxMs` passed), so this process does not take it straight back.
   */
  async waitForTaker(maxMs: number): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < maxMs) {
      if ((await this.holderOf(this.lockFile)) !== "gone") return;
      if (!(await this.othersWaiting())) return;
      await sleep(Math.max(1, Math.floor(this.options.pollMs / 5)));
    }
  }

  /** Removes this process's announcement that it waits. */
  async withdraw(): Promise<void> {
    await rm(this.announcement, { force: true });
  }

  /** Lets go of the lock — only our own: a lock file someone else made since is theirs. */
  async release(): Promise<void> {
    const owner = this.owner;
    if (!owner) return;
    this.owner = undefined;
    try {
      const current = await this.holderOf(this.lockFile);
      if (current !== "gone" && current !== "unreadable" && current.token === owner.token) await rm(this.lockFile, { force: true });
    } finally {
      // Only now: until the file is gone, another lock of this process must not take it for a dead one's.
      heldHere.delete(owner.token);
    }
  }

  /** For process exit, where nothing asynchronous runs any more: the lock and the announcement go. */
  releaseSync(): void {
    const owner = this.owner;
    this.owner = undefined;
    if (owner) heldHere.delete(owner.token);
    try {
      rmSync(this.announcement, { force: true });
      if (owner && (JSON.parse(readFileSync(this.lockFile, "utf8")) as DataDirectoryOwner).token === owner.token) rmSync(this.lockFile, { force: true });
    } catch {
      // Nothing left to tidy, or nothing we can do about it while exiting: a stale lock is taken over anyway.
    }
  }

  /** Whether another live process has announced that it waits for the database. */
  async othersWaiting(): Promise<boolean> {
    let names: string[];
    try {
      names = await readdir(this.waitingDirectory);
    } catch {
      return false;
    }
    let waiting = false;
    for (const name of names) {
      const at = name.indexOf("@");
      const pid = Number(name.slice(0, at));
      if (at <= 0 || !Number.isInteger(pid)) continue;
      let host: string;
      try {
        host = decodeURIComponent(name.slice(at + 1));
      } catch {
        continue;
      }
      if (host !== this.host) {
        // A process on another machine sharing this folder: it cannot be checked, so it is taken at its word.
        waiting = true;
      } else if (pid === process.pid) {
        continue;
      } else if (processAlive(pid)) {
        waiting = true;
      } else {
        // Left by a waiter that died: it must not make every owner hand over for nobody.
        await rm(path.join(this.waitingDirectory, name), { force: true });
      }
    }
    return waiting;
  }

  private async holderOf(file: string): Promise<DataDirectoryOwner | "unreadable" | "gone"> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
      throw error;
    }
    try {
      return JSON.parse(text) as DataDirectoryOwner;
    } catch {
      // Torn by a crash between creating the file and writing it — or caught in the microseconds between the two.
      return "unreadable";
    }
  }

  /**
   * A holder on this host whose process is gone. Our own pid counts as gone unless the token is ours: the file
   * was left by an earlier process that had this pid (containers reuse small pids). One on another host, or an
   * unreadable file still young, is assumed alive.
   */
  private async stale(file: string, holder: DataDirectoryOwner | "unreadable"): Promise<boolean> {
    if (holder === "unreadable") {
      try {
        return Date.now() - (await stat(file)).mtimeMs > youngFileMs;
      } catch {
        return false;
      }
    }
    if (holder.host !== this.host) return false;
    if (holder.pid === process.pid) return !heldHere.has(holder.token);
    return !processAlive(holder.pid);
  }

  /**
   * Removes a stale lock under a guard file, so two processes finding the same dead holder do not both remove
   * it (the second would remove the first one's new lock). True when the lock is gone; false when another
   * process is taking it over, which the caller waits for.
   */
  private async clearStale(seen: DataDirectoryOwner | "unreadable"): Promise<boolean> {
    const guard = `${this.lockFile}.takeover`;
    const me = { pid: process.pid, host: this.host, command: commandOfThisProcess(), since: new Date().toISOString(), token: randomBytes(8).toString("hex") };
    if (!(await createExclusive(guard, `${JSON.stringify(me)}\n`))) {
      const guardHolder = await this.holderOf(guard);
      // A guard whose maker died mid-takeover (which takes milliseconds) would block everyone forever.
      if (guardHolder !== "gone" && (await this.stale(guard, guardHolder))) await rm(guard, { force: true });
      return false;
    }
    try {
      const again = await this.holderOf(this.lockFile);
      const same = again === "gone" || (again === "unreadable" ? seen === "unreadable" : seen !== "unreadable" && again.token === seen.token);
      if (!same) return false;
      await rm(this.lockFile, { force: true });
      return true;
    } finally {
      await rm(guard, { force: true });
    }
  }

  private busy(holder: DataDirectoryOwner | "unreadable"): ConflictError {
    const seconds = Math.round(this.options.waitTimeoutMs / 1000);
    const who = holder === "unreadable" ? "another process" : `process ${holder.pid} (${holder.command}) on ${holder.host}, since ${holder.since}`;
    const elsewhere = holder !== "unreadable" && holder.host !== this.host ? ` It runs on another machine, so slipway cannot tell whether it is still alive: if it is not, delete ${this.lockFile}.` : "";
    return new ConflictError(
      `The ${this.options.location} is in use by ${who} and was not handed over within ${seconds}s.`,
      `Wait for that command to finish and try again, or set DATABASE_URL to share a PostgreSQL between many processes.${elsewhere}`,
    );
  }
}

/** Creates the file with this content only if there is none; false when one exists. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.write(content);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return true;
}
