import path from "node:path";
import type { Approvals } from "../engine/approvals.js";
import type { DeploymentRecords } from "../engine/deployment-records.js";
import type { Journal } from "../engine/journal.js";
import type { ApiKeys, AuditLog, DeploymentRuns, EventLog, Releases, Store } from "../engine/store.js";
import type { SqlDatabase } from "./sql/database.js";
import { migrate } from "./sql/migrations.js";
import { PgliteDatabase, type EmbeddedDatabaseOptions } from "./sql/pglite-database.js";
import { packagedTemplateDir } from "./sql/pglite-template.js";
import { SqlApiKeys } from "./sql/sql-api-keys.js";
import { SqlApprovals } from "./sql/sql-approvals.js";
import { SqlAuditLog } from "./sql/sql-audit.js";
import { SqlDeploymentLocks, type LeaseOptions } from "./sql/sql-deployment-locks.js";
import { SqlDeploymentRecords } from "./sql/sql-deployment-records.js";
import { SqlDeploymentRuns } from "./sql/sql-deployment-runs.js";
import { SqlEventLog } from "./sql/sql-events.js";
import { SqlJournal } from "./sql/sql-journal.js";
import { SqlReleases } from "./sql/sql-releases.js";

export interface OpenStoreOptions {
  /** The project's .slipway folder: the embedded database lives in its db/. */
  stateDir: string;
  /** Every row read or written belongs to it. */
  project: string;
  /** A PostgreSQL to use instead (callers pass process.env.DATABASE_URL). */
  databaseUrl?: string;
  /** Lease length and identity of the deployment locks (tests shorten the lease). */
  leases?: LeaseOptions;
  /**
   * Hand-over timings of the embedded database (tests shorten them), and the template a new one starts from: the
   * one built with slipway (dist/store-template) unless another folder, or false (initdb), is given.
   */
  embedded?: EmbeddedDatabaseOptions;
  /** The clock approval gates are opened and decided by. */
  now?: () => Date;
}

/** The project's .slipway folder, beside its project file (where the journal and locks have always lived). */
export function stateDirOf(projectFile: string): string {
  return path.join(path.dirname(projectFile), ".slipway");
}

class SqlStore implements Store {
  readonly location: string;
  readonly releases: Releases;
  readonly runs: DeploymentRuns;
  readonly journal: Journal;
  readonly approvals: Approvals;
  readonly records: DeploymentRecords;
  readonly locks: SqlDeploymentLocks;
  readonly events: EventLog;
  readonly keys: ApiKeys;
  readonly audit: AuditLog;
  private closed = false;

  constructor(
    private readonly db: SqlDatabase,
    readonly project: string,
    options: OpenStoreOptions,
  ) {
    this.location = db.location;
    this.releases = new SqlReleases(db, project);
    this.runs = new SqlDeploymentRuns(db, project);
    this.journal = new SqlJournal(db, project);
    this.approvals = new SqlApprovals(db, project, options.now);
    this.records = new SqlDeploymentRecords(db, project);
    this.locks = new SqlDeploymentLocks(db, project, options.leases);
    this.events = new SqlEventLog(db, project);
    this.keys = new SqlApiKeys(db, project);
    this.audit = new SqlAuditLog(db, project);
  }

  /** Leases still held are let go — a closed store renews nothing — then the database is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.locks.releaseAll();
    } finally {
      await this.db.close();
    }
  }
}

/**
 * The project's store: PostgreSQL when a database URL is given, else the embedded PGlite in <stateDir>/db. The
 * schema is brought up to date on opening, the same migrations on both.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  // pg is imported only when DATABASE_URL names a server: every command on the embedded store would pay ~70 ms for it.
  const db: SqlDatabase = options.databaseUrl ? await (await import("./sql/postgres-database.js")).PostgresDatabase.connect(options.databaseUrl) : await PgliteDatabase.open(path.join(options.stateDir, "db"), { template: packagedTemplateDir(), ...options.embedded });
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return new SqlStore(db, options.project, options);
}
