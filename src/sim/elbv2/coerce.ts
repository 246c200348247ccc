import { validation } from "./errors.js";

/**
 * The query protocol sends every scalar as a string and an empty list as an empty string ("Tags="). These turn the
 * wire values back into what the SDK's input types promise.
 */
export function optionalInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n)) throw validation(`${name} must be an integer, not '${String(value)}'`);
  return n;
}

export function optionalBool(value: unknown): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value === "boolean") return value;
  return String(value).toLowerCase() === "true";
}

export function list<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  return [];
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function requiredString(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") throw validation(`${name} must be specified`);
  return value;
}
