import { InputError } from "../errors.js";

/** --port N: a whole number 0–65535 written as digits (0 picks a free port); `example` is this command's default. */
export function parsePort(value: string, example: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InputError(`--port must be a whole number from 0 to 65535, got "${value}".`, `For example: --port ${example} (0 picks a free port).`);
  return n;
}
