/**
 * One deployment at a time per service: `service deploy`, `resume` and `rollback` hold the lock of (project,
 * environment, service) for their whole run, so a second deployment cannot mistake the first one's task sets for
 * stale leftovers, nor roll back over a revision the first one promoted meanwhile. The same lock keeps two
 * `resume <id>` of one deployment from running at once.
 *
 * Behind a port: the store implements it as a lease in the database (src/storage/sql/sql-deployment-locks.ts),
 * so runners on several machines sharing a PostgreSQL exclude each other, and a dead holder lets go.
 */
export interface LockKey {
  environment: string;
  service: string;
}

/** Who holds a lock: enough for a person to find the process, and for a later run to tell whether it still lives. */
export interface LockHolder {
  deploymentId: string;
  pid: number;
  host: string;
  /** ISO 8601. */
  startedAt: string;
}

export interface HeldLock {
  holder: LockHolder;
  /** Set when the lock was taken over from a holder whose process is gone: worth telling the person. */
  takenOverFrom?: LockHolder;
  /** Lets go of the lock; releasing twice is harmless. */
  release(): Promise<void>;
  /** Aborted when the lock was found taken by another holder (this one was thought dead): stop changing anything. */
  readonly lost: AbortSignal;
}

export interface DeploymentLocks {
  /** Takes the lock for `deploymentId`, or throws a ConflictError naming the live holder and how to proceed. */
  acquire(key: LockKey, deploymentId: string): Promise<HeldLock>;
}

/** How to proceed when the lock is held: what a ConflictError's hint says. */
export function whileHeldHint(holder: LockHolder): string {
  const id = holder.deploymentId;
  return [
    `Wait for deployment ${id} to finish; if it waits at an approval gate, \`slipway approve ${id}\` or \`slipway abort ${id}\` decides it.`,
    `If its process (pid ${holder.pid} on ${holder.host}) was stopped, \`slipway resume ${id}\` continues it — or \`slipway abort ${id}\` then \`slipway resume ${id}\` rolls it back at its gate.`,
  ].join(" ");
}

export function describeHolder(holder: LockHolder): string {
  return `deployment ${holder.deploymentId} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`;
}
