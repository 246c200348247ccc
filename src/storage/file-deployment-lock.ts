import { hostname } from "node:os";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { describeHolder, whileHeldHint, type DeploymentLocks, type HeldLock, type LockHolder, type LockKey } from "../engine/deployment-lock.js";
import { ConflictError } from "../errors.js";

/** Whether a process of this host runs under `pid`. EPERM: it runs, as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface FileLockOptions {
  pid?: number;
  host?: string;
  now?: () => Date;
  /** Default: processAlive. */
  isAlive?: (pid: number) => boolean;
}

/** A takeover guard older than this was left by a process that died mid-takeover (which takes milliseconds). */
const abandonedGuardMs = 30_000;

/**
 * Locks as files under the project's .slipway/locks/, one per environment and service, created exclusively
 * ("wx": the create fails if the file exists), holding who holds it. Only processes on one machine exclude each
 * other this way — see DeploymentLocks for where it goes next.
 */
export class FileDeploymentLocks implements DeploymentLocks {
  private readonly pid: number;
  private readonly host: string;
  private readonly now: () => Date;
  private readonly isAlive: (pid: number) => boolean;

  constructor(
    readonly directory: string,
    options: FileLockOptions = {},
  ) {
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.now = options.now ?? (() => new Date());
    this.isAlive = options.isAlive ?? processAlive;
  }

  /** encodeURIComponent escapes "@" and "/", so the name is one safe path segment and the two parts cannot run together. */
  fileOf(key: LockKey): string {
    return path.join(this.directory, `${encodeURIComponent(key.environment)}@${encodeURIComponent(key.service)}.lock`);
  }

  async acquire(key: LockKey, deploymentId: string): Promise<HeldLock> {
    await mkdir(this.directory, { recursive: true });
    const file = this.fileOf(key);
    const holder: LockHolder = { deploymentId, pid: this.pid, host: this.host, startedAt: this.now().toISOString() };
    if (await this.create(file, holder)) return this.held(file, holder);
    const current = await this.holderOf(file);
    if (current && !this.gone(current)) throw this.busy(key, file, current);
    // The holder's process is gone (or the file is unreadable, torn by a crash mid-write): take the lock over —
    // under a guard, so two runs finding the same dead holder do not both take it.
    const guard = `${file}.takeover`;
    if (!(await this.create(guard, holder)) && !(await this.clearAbandoned(guard))) throw this.busy(key, file, undefined);
    try {
      const again = await this.holderOf(file);
      if (again && !this.gone(again)) throw this.busy(key, file, again);
      await rm(file, { force: true });
      if (!(await this.create(file, holder))) throw this.busy(key, file, await this.holderOf(file));
    } finally {
      await rm(guard, { force: true });
    }
    return this.held(file, holder, current);
  }

  /** The lock file, made only if there is none. False when one exists. */
  private async create(file: string, holder: LockHolder): Promise<boolean> {
    let handle;
    try {
      handle = await open(file, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    try {
      await handle.write(`${JSON.stringify(holder)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return true;
  }

  private async holderOf(file: string): Promise<LockHolder | undefined> {
    try {
      return JSON.parse(await readFile(file, "utf8")) as LockHolder;
    } catch {
      // Gone meanwhile, or torn by a crash between create and write: nobody holds it in a way that can be checked.
      return undefined;
    }
  }

  /** Only a holder on this host can be seen to be gone; one elsewhere is assumed alive. */
  private gone(holder: LockHolder): boolean {
    return holder.host === this.host && !this.isAlive(holder.pid);
  }

  private async clearAbandoned(guard: string): Promise<boolean> {
    try {
      if (this.now().getTime() - (await stat(guard)).mtimeMs < abandonedGuardMs) return false;
    } catch {
      return false;
    }
    await rm(guard, { force: true });
    return this.create(guard, { deploymentId: "takeover", pid: this.pid, host: this.host, startedAt: this.now().toISOString() });
  }

  private held(file: string, holder: LockHolder, takenOverFrom?: LockHolder): HeldLock {
    let released = false;
    return {
      holder,
      ...(takenOverFrom && { takenOverFrom }),
      release: async () => {
        if (released) return;
        released = true;
        // Only our own lock is removed: one taken over from us (we were thought dead) belongs to its new holder.
        const current = await this.holderOf(file);
        if (current?.pid === holder.pid && current.host === holder.host && current.deploymentId === holder.deploymentId) await rm(file, { force: true });
      },
    };
  }

  private busy(key: LockKey, file: string, holder: LockHolder | undefined): ConflictError {
    const who = holder ? describeHolder(holder) : "another slipway process";
    const elsewhere = holder && holder.host !== this.host ? ` It runs on another machine, so slipway cannot tell whether it is still alive: if it is not, delete ${file} first.` : "";
    return new ConflictError(
      `${key.service} in ${key.environment} is being deployed by ${who}: slipway runs one deployment of a service at a time.`,
      `${holder ? whileHeldHint(holder) : `Try again in a moment.`}${elsewhere}`,
    );
  }
}
