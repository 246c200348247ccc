import { hostname } from "node:os";
import { describeHolder, whileHeldHint, type DeploymentLocks, type HeldLock, type LockHolder, type LockKey } from "../../engine/deployment-lock.js";
import { ConflictError } from "../../errors.js";
import { processAlive } from "../process-alive.js";
import type { SqlDatabase } from "./database.js";
import { isoOf } from "./row-values.js";

export interface LeaseOptions {
  /** How long a lease lasts unless renewed; it is renewed every third of it while held. Default 30 s. */
  ttlMs?: number;
  pid?: number;
  host?: string;
  /** Default: processAlive. */
  isAlive?: (pid: number) => boolean;
}

interface LeaseRow {
  deployment_id: string;
  pid: number;
  host: string;
  started_at: Date;
  expires_at: Date;
}

type Attempt = { held: LockHolder; takenOverFrom?: LockHolder } | { busy: LockHolder; expiresAt: string } | { released: true };

const holderColumns = "deployment_id, pid, host, started_at, expires_at";

function holderOf(row: LeaseRow): LockHolder {
  return { deploymentId: row.deployment_id, pid: Number(row.pid), host: row.host, startedAt: isoOf(row.started_at) };
}

/**
 * One deployment at a time per service and environment, across processes and machines sharing the database: a
 * lease row per (project, environment, service). A holder renews its lease while it runs; one that dies stops
 * renewing, and the lease runs out. Expiry is judged on the database's clock (now()), so machines whose clocks
 * disagree still agree on it. A holder on this host whose process is gone is taken over at once, without waiting
 * for its lease to run out.
 */
export class SqlDeploymentLocks implements DeploymentLocks {
  private readonly ttlMs: number;
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;
  /** The release of every lease held through this object, for close(). */
  private readonly releases = new Set<() => Promise<void>>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
    options: LeaseOptions = {},
  ) {
    this.ttlMs = Math.max(30, Math.round(options.ttlMs ?? 30_000));
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? processAlive;
  }

  async acquire(key: LockKey, deploymentId: string): Promise<HeldLock> {
    for (;;) {
      const attempt = await this.db.transaction((tx) => this.attempt(tx, key, deploymentId));
      // The holder let go between our insert and our look at its row: try again.
      if ("released" in attempt) continue;
      if ("busy" in attempt) throw this.busy(key, attempt.busy, attempt.expiresAt);
      return this.held(key, attempt.held, attempt.takenOverFrom);
    }
  }

  private async attempt(tx: SqlDatabase, key: LockKey, deploymentId: string): Promise<Attempt> {
    const base = [this.project, key.environment, key.service, deploymentId, this.pid, this.host, this.ttlMs];
    const [inserted] = await tx.query<LeaseRow>(
      `insert into deployment_leases (project, environment, service, deployment_id, pid, host, started_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, now(), now() + $7::integer * interval '1 millisecond')
       on conflict (project, environment, service) do nothing
       returning ${holderColumns}`,
      base,
    );
    if (inserted) return { held: holderOf(inserted) };
    // Locked for the rest of the transaction: of two runs taking over one expired lease, the second sees the first's.
    const [current] = await tx.query<LeaseRow & { expired: boolean }>(
      `select ${holderColumns}, expires_at <= now() as expired from deployment_leases
        where project = $1 and environment = $2 and service = $3 for update`,
      [this.project, key.environment, key.service],
    );
    if (!current) return { released: true };
    const previous = holderOf(current);
    if (!current.expired && !this.gone(previous)) return { busy: previous, expiresAt: isoOf(current.expires_at) };
    const [taken] = await tx.query<LeaseRow>(
      `update deployment_leases set deployment_id = $4, pid = $5, host = $6, started_at = now(), expires_at = now() + $7::integer * interval '1 millisecond'
        where project = $1 and environment = $2 and service = $3
        returning ${holderColumns}`,
      base,
    );
    return { held: holderOf(taken as LeaseRow), takenOverFrom: previous };
  }

  /** Only a holder on this host can be seen to be gone; one elsewhere is alive until its lease runs out. */
  private gone(holder: LockHolder): boolean {
    return holder.host === this.host && !this.isAlive(holder.pid);
  }

  private held(key: LockKey, holder: LockHolder, takenOverFrom?: LockHolder): HeldLock {
    const ours = [this.project, key.environment, key.service, holder.deploymentId, holder.pid, holder.host];
    let renewing = false;
    const lost = new AbortController();
    const renew = async () => {
      if (renewing) return;
      renewing = true;
      try {
        const [still] = await this.db.query(
          `update deployment_leases set expires_at = now() + $7::integer * interval '1 millisecond'
            where project = $1 and environment = $2 and service = $3 and deployment_id = $4 and pid = $5 and host = $6
            returning pid`,
          [...ours, this.ttlMs],
        );
        // Taken over (we were thought dead, or could not renew in time): the lease is someone else's now.
        if (!still) {
          stop();
          lost.abort();
        }
      } catch {
        // The database is unreachable for now: the next tick tries again, well before the lease runs out.
      } finally {
        renewing = false;
      }
    };
    const timer = setInterval(() => void renew(), Math.max(10, Math.floor(this.ttlMs / 3)));
    // Renewal never keeps a process alive on its own: a process that is done with its work ends.
    timer.unref();
    const stop = () => clearInterval(timer);
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      stop();
      this.releases.delete(release);
      // Only our own lease is removed: one taken over from us belongs to its new holder.
      await this.db.query(`delete from deployment_leases where project = $1 and environment = $2 and service = $3 and deployment_id = $4 and pid = $5 and host = $6`, ours);
    };
    this.releases.add(release);
    return { holder, ...(takenOverFrom && { takenOverFrom }), release, lost: lost.signal };
  }

  /** Lets go of every lease still held through this object: the store is closing. */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.releases].map((release) => release().catch(() => undefined)));
  }

  private busy(key: LockKey, holder: LockHolder, expiresAt: string): ConflictError {
    const elsewhere = holder.host !== this.host ? ` It runs on another machine, so slipway cannot tell whether it is still alive: if it is not, its lease runs out at ${expiresAt} and the next run takes over.` : "";
    return new ConflictError(`${key.service} in ${key.environment} is being deployed by ${describeHolder(holder)}: slipway runs one deployment of a service at a time.`, `${whileHeldHint(holder)}${elsewhere}`);
  }
}
