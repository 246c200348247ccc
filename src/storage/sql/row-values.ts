/**
 * Values between JavaScript and rows, the same for both drivers: node-postgres and PGlite both give timestamptz
 * as a Date, but bigint as a string (pg) or a number (PGlite), and parse jsonb each their own way — so jsonb is
 * written as text cast to jsonb, and read back cast to text and parsed here.
 */

/** A timestamptz column as ISO 8601. */
export function isoOf(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A nullable timestamptz column: undefined for SQL NULL. */
export function optionalIsoOf(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : isoOf(value);
}

/** A parameter for a jsonb column (written `$n::text::jsonb`): SQL NULL for undefined, so "no value" stays absent. */
export function jsonParam(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** A jsonb column read as `column::text`: undefined for SQL NULL (JSON null stays null). */
export function parsedJson<T = unknown>(text: unknown): T | undefined {
  return text === null || text === undefined ? undefined : (JSON.parse(String(text)) as T);
}

/** A bigint column (pg gives a string, PGlite a number). */
export function numberOf(value: unknown): number {
  return Number(value);
}
