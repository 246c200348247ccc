import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, type Problem } from "../../src/errors.js";

/** Writes files into a fresh temporary folder and returns the path of each. */
export function writeFiles(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-config-"));
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return [name, join(dir, name)];
    }),
  );
}

/** The problems an InputError carries; fails the test when the call does not throw one. */
export function problemsOf(load: () => unknown): Problem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("expected an InputError, but the file loaded");
}
