import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../config/package-root.js";

/**
 * The demo deploys the project in examples/ as it is, in a folder of its own (so its store starts empty and the
 * repository stays clean), with every target's endpoint pointed at the simulator the demo started.
 */
export function writeDemoProject(endpoint: string, into?: string): { dir: string; project: string } {
  const dir = into ?? mkdtempSync(join(tmpdir(), "slipway-demo-"));
  cpSync(join(packageRoot(), "examples"), dir, { recursive: true });
  const targets = join(dir, "targets.yaml");
  writeFileSync(targets, readFileSync(targets, "utf8").replace(/endpoint: http:\/\/127\.0\.0\.1:\d+/g, `endpoint: ${endpoint}`));
  return { dir, project: join(dir, "slipway.yaml") };
}
