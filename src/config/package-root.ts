import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding slipway's package.json. Found by walking up from this module rather than by a fixed
 * number of "..": the module runs from src/config/ under vitest and from dist/src/config/ after a build.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "slipway") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`slipway's package.json was not found above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/** slipway's version, from its package.json: what `slipway --version` prints and a bug report should name. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
}
