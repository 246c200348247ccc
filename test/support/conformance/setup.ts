import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { tapCalls } from "../../../src/sim/call-taps.js";
import { ConformanceRecorder } from "./recorder.js";

/**
 * Runs before every test file (vitest setupFiles): while the run checks conformance (global-setup.ts made the
 * folder), every call any simulator in this file's process answers is checked against AWS's model, and the file's
 * tally is left in the folder for the run's end to add up.
 */
const folder = process.env.SLIPWAY_CONFORMANCE_DIR;
if (folder) {
  const recorder = new ConformanceRecorder(() => {
    const state = expect.getState();
    return [state.testPath?.replace(/^.*?\/test\//, "test/"), state.currentTestName].filter(Boolean).join(" › ");
  });
  const untap = tapCalls((call) => recorder.observe(call));
  afterAll(() => {
    untap();
    const tally = recorder.result();
    if (Object.keys(tally.operations).length > 0) writeFileSync(join(folder, `${randomUUID()}.json`), JSON.stringify(tally));
  });
}
