/**
 * The little slipway needs from a SQL database, so the repositories run unchanged over PostgreSQL (node-postgres)
 * and over embedded PGlite. Both speak PostgreSQL's dialect; what differs is how values come back, so the
 * repositories read every jsonb column as text (parsed by them) and every bigint through Number().
 */
export interface SqlDatabase {
  /** One statement with $1… parameters; the rows it returns. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Queries inside must go
   * through `tx`; a transaction asked for on `tx` joins the one already open.
   */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** For people, never with a password: "embedded PGlite at .slipway/db", "PostgreSQL at host:5432/db". */
  readonly location: string;
}

/** SQLSTATE codes slipway turns into its own errors. */
export const sqlState = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  raisedException: "P0001",
} as const;

/** The SQLSTATE of a database error from either driver (both set `code`), if it is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
