import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One temporary folder for the whole test run, removed when it ends. Tests make project folders, stores and
 * journals under the system's temporary folder (~40 MB per embedded store) and many leave them: every run used to
 * leave gigabytes behind, until a developer's disk filled. Test files run in forked processes, and the CLI,
 * `slipway serve` and the demo in child processes, which all inherit TMPDIR, so everything lands here.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "slipway-tests-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
