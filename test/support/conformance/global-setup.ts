import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { Simulator } from "../../../src/sim/simulator.js";
import type { ServiceName } from "../../../src/sim/module.js";
import { botocoreModel, simulatedApis } from "../aws-model.js";
import { mergeTallies, type Tally } from "./recorder.js";

/**
 * The simulator held against AWS's published API models over the whole test run: every request the scenario
 * corpus sends (slipway's, the AWS CLI's, the tests' own) and every answer any simulator gives are checked as they
 * happen (setup.ts), and at the run's end this adds the files' tallies up, prints the figures, keeps them in
 * test-artifacts/conformance.json, and fails the run on any violation — and, when the whole suite ran, on any
 * operation the simulator serves that no test called. Without botocore in .venv/ (npm test installs it) it is off.
 */
export const reportFile = join("test-artifacts", "conformance.json");

export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  const services = Object.keys(simulatedApis) as ServiceName[];
  if (services.some((service) => !botocoreModel(simulatedApis[service][0], simulatedApis[service][1]))) {
    console.log("AWS model conformance: not checked (no botocore in .venv/; `bash scripts/ensure-python-tools.sh` installs it)");
    return undefined;
  }
  const folder = mkdtempSync(join(tmpdir(), "conformance-"));
  process.env.SLIPWAY_CONFORMANCE_DIR = folder;
  return async () => {
    // Whether every test file ran, unfiltered: only then must every served operation have been called.
    const files = (await project.globTestFiles()).testFiles.length;
    const unfiltered = project.vitest.state.getFiles().length === files && !project.config.testNamePattern && !project.config.shard;
    delete process.env.SLIPWAY_CONFORMANCE_DIR;
    const tally: Tally = { operations: {}, uncheckablePatterns: [] };
    for (const file of readdirSync(folder)) mergeTallies(tally, JSON.parse(readFileSync(join(folder, file), "utf8")) as Tally);
    rmSync(folder, { recursive: true, force: true });
    const sim = new Simulator();
    const served = services.flatMap((service) => Object.keys(sim.module(service).operations).map((operation) => `${service}:${operation}`));
    const report = summarise(tally, served);
    mkdirSync("test-artifacts", { recursive: true });
    writeFileSync(reportFile, JSON.stringify({ ...report, operations: tally.operations }, null, 2));
    console.log(
      `AWS model conformance: ${report.covered.length} of ${served.length} simulated operations answered; ` +
        `${report.requests} requests, ${report.answers} answers and ${report.errors} errors checked; ${report.violations} violations (${reportFile})`,
    );
    const failures: string[] = [];
    if (report.violations > 0) failures.push(...report.violationLines);
    if (unfiltered && report.uncalled.length > 0) failures.push(`served but answered to no test: ${report.uncalled.join(", ")}`);
    if (failures.length > 0) {
      console.error(`AWS model conformance failed:\n  ${failures.slice(0, 60).join("\n  ")}`);
      process.exitCode = 1;
    }
  };
}

function summarise(tally: Tally, served: string[]) {
  const entries = Object.entries(tally.operations);
  const sum = (pick: (t: Tally["operations"][string]) => number) => entries.reduce((n, [, t]) => n + pick(t), 0);
  const violationLines = entries.flatMap(([operation, t]) =>
    Object.entries(t.violations).map(([message, seen]) => `${operation} ${message} (${seen.count}×; first in ${seen.seenIn || "?"})`),
  );
  return {
    served: served.length,
    // Called means answered at least once, so the operation's output shape was checked, not only its errors.
    covered: served.filter((operation) => tally.operations[operation]?.answers),
    uncalled: served.filter((operation) => !tally.operations[operation]?.answers),
    requests: sum((t) => t.requests),
    answers: sum((t) => t.answers),
    errors: sum((t) => t.errors),
    refused: sum((t) => t.refused),
    violations: sum((t) => Object.values(t.violations).reduce((n, v) => n + v.count, 0)),
    violationLines,
    uncheckablePatterns: tally.uncheckablePatterns,
  };
}
