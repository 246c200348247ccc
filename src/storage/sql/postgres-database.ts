import pg from "pg";
import { InputError } from "../../errors.js";
import { refuseNul, type SqlDatabase } from "./database.js";

/** "PostgreSQL at host:port/db" — what people are told; the user name and password stay out of it. */
export function describePostgresUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname || url.searchParams.get("host") || "localhost";
    const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "(default database)";
    return `PostgreSQL at ${host}:${url.port || "5432"}/${database}`;
  } catch {
    return "PostgreSQL at DATABASE_URL";
  }
}

/** Runs queries on one checked-out connection: the inside of a transaction. */
class ConnectionDatabase implements SqlDatabase {
  constructor(
    private readonly client: pg.PoolClient,
    readonly location: string,
  ) {}

  async query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    refuseNul(params);
    return (await this.client.query(text, params as unknown[] | undefined)).rows as T[];
  }

  /** Already inside one: a nested transaction joins it. */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}

/**
 * A PostgreSQL reached through DATABASE_URL, shared by every process and machine that points at it: the store
 * for teams, CI runners and servers. A pool of a few connections; a transaction takes one for its duration.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly location: string;
  private readonly pool: pg.Pool;

  private constructor(databaseUrl: string) {
    this.location = describePostgresUrl(databaseUrl);
    // allowExitOnIdle: a CLI command ends when its work does, without waiting for idle connections to time out.
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 5, allowExitOnIdle: true });
    // An idle connection the server drops (restart, failover) is reported here; without a listener Node would
    // crash the process. The pool replaces it on the next query.
    this.pool.on("error", () => undefined);
  }

  /** Connects once to say clearly, up front, when DATABASE_URL leads nowhere. */
  static async connect(databaseUrl: string): Promise<PostgresDatabase> {
    const database = new PostgresDatabase(databaseUrl);
    try {
      await database.pool.query("select 1");
    } catch (error) {
      await database.pool.end().catch(() => undefined);
      // node-postgres's messages name the host, user or database at most, never the password.
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
      throw new InputError(`Cannot use the ${database.location}: ${reason}.`, "Check DATABASE_URL (postgres://user:password@host:port/database) and that the server accepts connections from here; unset it to use the embedded database in .slipway/db.");
    }
    return database;
  }

  async query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    refuseNul(params);
    return (await this.pool.query(text, params as unknown[] | undefined)).rows as T[];
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("begin");
      const result = await fn(new ConnectionDatabase(client, this.location));
      await client.query("commit");
      return result;
    } catch (error) {
      // A connection that cannot even roll back is discarded rather than handed to the next caller.
      await client.query("rollback").catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
