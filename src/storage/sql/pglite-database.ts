import path from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { DataDirectoryLock } from "./data-directory-lock.js";
import { refuseNul, type SqlDatabase } from "./database.js";
import { seedFromTemplate } from "./pglite-template.js";

export interface EmbeddedDatabaseOptions {
  /** With no work for this long, the database is closed and the lock let go. Default 1500 ms. */
  idleCloseMs?: number;
  /** How long to wait for another process to hand the database over before a ConflictError. Default 30 s. */
  waitTimeoutMs?: number;
  /** How often a waiter tries the lock, and an idle owner looks for waiters. Default 25 ms. */
  pollMs?: number;
  /**
   * A busy owner (one unit right after another) keeps the database at least this long before handing it over:
   * opening costs about as much, so a shorter turn would spend the time opening and closing. Default 250 ms.
   */
  turnMs?: number;
  /**
   * A template made by buildTemplate (pglite-template.ts): a directory that holds no database yet starts as a copy
   * of it instead of running initdb, when it fits this PGlite and these migrations. None by default.
   */
  template?: string | false;
}

type EngineOptions = Required<Omit<EmbeddedDatabaseOptions, "template">> & Pick<EmbeddedDatabaseOptions, "template">;

const defaults: EngineOptions = { idleCloseMs: 1500, waitTimeoutMs: 30_000, pollMs: 25, turnMs: 250 };

/** Queries inside a PGlite transaction. */
class TransactionDatabase implements SqlDatabase {
  constructor(
    private readonly tx: Transaction,
    readonly location: string,
  ) {}

  async query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    refuseNul(params);
    return (await this.tx.query<T>(text, params ? [...params] : undefined)).rows;
  }

  /** Already inside one: a nested transaction joins it. */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}

/**
 * One PGlite data directory as this process uses it. PGlite is a database one process at a time may open, yet
 * `slipway deploy` runs for minutes while `slipway approve` and `slipway status` run in other terminals. So the
 * database is opened for a unit of work (a query or a transaction) unless it is open already, and handed over
 * when another process has announced that it waits: at once when this process is idle (no unit asked for and
 * unfinished — looked at every few milliseconds), and after the unit that ends its turn when it is busy. It also
 * closes after a quiet spell. Units of this process run one at a time, in the order asked, through one queue.
 */
class EmbeddedEngine {
  private pglite: PGlite | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Units asked for and not yet finished. */
  private pending = 0;
  private lastUsed = Date.now();
  private watcher: NodeJS.Timeout | undefined;
  private maintenanceQueued = false;
  /** When the database was last opened: a busy owner's turn runs from here. */
  private openedAt = 0;
  /** Set when this process handed the database over and must let a waiter take it before asking again. */
  private handedOver = false;
  /** Open PgliteDatabase handles on this directory. */
  users = 0;
  readonly lock: DataDirectoryLock;

  constructor(
    readonly dataDir: string,
    readonly location: string,
    private readonly options: EngineOptions,
  ) {
    this.lock = new DataDirectoryLock(`${dataDir}.lock`, `${dataDir}.waiting`, { pollMs: options.pollMs, waitTimeoutMs: options.waitTimeoutMs, location });
  }

  run<T>(work: (db: PGlite) => Promise<T>): Promise<T> {
    this.pending++;
    const unit = this.queue
      .then(async () => {
        const db = await this.open();
        try {
          return await work(db);
        } finally {
          this.lastUsed = Date.now();
          // A failed hand-over must not turn a unit that worked into an error; the next unit retries it.
          if (Date.now() - this.openedAt >= this.options.turnMs) await this.handOverIfWaitedFor().catch(() => undefined);
        }
      })
      .finally(() => {
        this.pending--;
      });
    this.queue = unit.catch(() => undefined);
    return unit;
  }

  /** After the last handle closes: finishes the queued units, closes the database and lets the lock go. */
  async shutdown(): Promise<void> {
    const done = this.queue.then(() => this.letGo(false));
    this.queue = done.catch(() => undefined);
    await done;
  }

  private async open(): Promise<PGlite> {
    if (this.pglite) return this.pglite;
    if (this.handedOver) {
      // Else the lock, just let go, would go straight back to us, ahead of the process we let go for.
      this.handedOver = false;
      await this.lock.waitForTaker(this.options.turnMs * 4);
    }
    await this.lock.acquire();
    try {
      // Under the lock: two processes starting at once in a new project do not both unpack it.
      if (this.options.template) {
        const seeded = await seedFromTemplate(this.dataDir, this.options.template);
        if (seeded.outcome === "initdb" && process.env.SLIPWAY_DEBUG) process.stderr.write(`slipway: the new ${this.location} is made by initdb, not from the template: ${seeded.reason}\n`);
      }
      // PostgreSQL's 128 MB of shared buffers is sized for a server; slipway's store is a few MB. 16 MB took a warm
      // open's peak memory from ~305 to ~185 MB (npm run bench:cli) with journal writes as fast (npm run bench:store).
      this.pglite = await PGlite.create(this.dataDir, { postgresqlconf: ["shared_buffers=16MB"] });
    } catch (error) {
      await this.lock.release();
      throw error;
    } finally {
      await this.lock.withdraw();
    }
    this.openedAt = Date.now();
    this.watcher = setInterval(() => this.watch(), this.options.pollMs);
    // The watcher never keeps a process alive: one that ends with the database open lets go in the exit hook,
    // and PostgreSQL's recovery replays what it committed.
    this.watcher.unref();
    return this.pglite;
  }

  private async handOverIfWaitedFor(): Promise<void> {
    if (this.pglite && (await this.lock.othersWaiting())) await this.letGo(true);
  }

  /** While the database is open and this process is idle: hand it over to a waiter, or close it after a quiet spell. */
  private watch(): void {
    if (this.maintenanceQueued || this.pending > 0 || !this.pglite) return;
    this.maintenanceQueued = true;
    // Through the queue, so it never closes the database under a unit that started meanwhile.
    const maintenance = this.queue.then(async () => {
      if (!this.pglite) return;
      if (this.pending > 0) return;
      if (Date.now() - this.lastUsed >= this.options.idleCloseMs) await this.letGo(false);
      else if (await this.lock.othersWaiting()) await this.letGo(true);
    });
    this.queue = maintenance.catch(() => undefined).finally(() => (this.maintenanceQueued = false));
  }

  /** Closes the database and lets go of the lock — the lock even when closing fails: the next opener recovers. */
  private async letGo(handingOver: boolean): Promise<void> {
    if (this.pglite && handingOver) this.handedOver = true;
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
    const db = this.pglite;
    this.pglite = undefined;
    try {
      await db?.close();
    } finally {
      await this.lock.release();
    }
  }
}

/** Engines by absolute data directory: every store this process opens on one directory shares one. */
const engines = new Map<string, EmbeddedEngine>();
/** Engines still shutting down, awaited by the next opener of their directory. */
const closing = new Map<string, Promise<void>>();
/** Every engine that may hold a lock, for the exit hook. */
const live = new Set<EmbeddedEngine>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A process that ends (normally, or by process.exit) with the database open must not leave a lock behind.
  process.on("exit", () => {
    for (const engine of live) engine.lock.releaseSync();
  });
}

/** For people: relative to the working directory when inside it (".slipway/db"), absolute otherwise. */
function locationOf(dataDir: string): string {
  const relative = path.relative(process.cwd(), dataDir);
  return `embedded PGlite at ${relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : dataDir}`;
}

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) in a data directory, shared with other
 * processes by handing it over (see EmbeddedEngine). The options of the first open of a directory in a process
 * apply to all its handles.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly location: string;
  private closed = false;

  private constructor(private readonly engine: EmbeddedEngine) {
    this.location = engine.location;
  }

  static async open(dataDir: string, options: EmbeddedDatabaseOptions = {}): Promise<PgliteDatabase> {
    const dir = path.resolve(dataDir);
    await closing.get(dir);
    let engine = engines.get(dir);
    if (!engine) {
      engine = new EmbeddedEngine(dir, locationOf(dir), { ...defaults, ...options });
      engines.set(dir, engine);
      live.add(engine);
      installExitHook();
    }
    engine.users++;
    return new PgliteDatabase(engine);
  }

  async query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    refuseNul(params);
    this.checkOpen();
    return this.engine.run(async (db) => (await db.query<T>(text, params ? [...params] : undefined)).rows);
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.checkOpen();
    return this.engine.run((db) => db.transaction((tx) => fn(new TransactionDatabase(tx, this.location))));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const engine = this.engine;
    if (--engine.users > 0) return;
    engines.delete(engine.dataDir);
    const done = engine.shutdown().finally(() => {
      closing.delete(engine.dataDir);
      live.delete(engine);
    });
    closing.set(engine.dataDir, done);
    await done;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`The ${this.location} was closed; open the store again to use it.`);
  }
}
