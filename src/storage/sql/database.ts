import { InputError } from "../../errors.js";

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
  undefinedTable: "42P01",
} as const;

/** The SQLSTATE of a database error from either driver (both set `code`), if it is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * PostgreSQL stores no NUL character in text, and answers one with an error that would reach people as a failure of
 * slipway's own. A name, id or note holding one can be neither stored nor found: it is refused as bad input.
 */
export function refuseNul(params: readonly unknown[] | undefined): void {
  if (params?.some((p) => typeof p === "string" && p.includes("\u0000"))) {
    throw new InputError("A value holds a NUL character (\\u0000), which slipway can neither store nor look up.", "Remove it: names, versions, ids and notes are plain text.");
  }
}
