import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallCounts } from "../../../src/sim/call-ledger.js";
import { FileDeploymentRecords } from "../../../src/storage/file-deployment-records.js";
import { FileJournal } from "../../../src/storage/file-journal.js";
import type { DeploymentProgress } from "../../../steps/service/progress.js";
import type { ServiceRunOptions } from "../../../steps/service/deploy.js";
import { loadServiceStep, type LoadedServiceStep } from "../../../steps/service/load.js";
import type { RawServiceStep } from "../../../steps/service/input.js";
import type { StepContext } from "../../../steps/step.js";
import type { Target } from "../../../targets/target.js";
import type { SimHarness } from "../../support/sim.js";

/** Shared pieces of the service step scenarios: the fixture step, a context, fast polling, what a user would read. */

export const fixture = "test/fixtures/steps/service/web.service.yaml";

/** Polls 20–100 ms apart in wall-clock time: at simulator speed 100 (the rolling scenarios) that is every 2–10 simulated seconds, often enough to see a failed deployment before ECS removes it. */
export const fastPolling = { minDelaySeconds: 0.02, maxDelaySeconds: 0.1 };

export function webStep(change: Partial<RawServiceStep> = {}): LoadedServiceStep {
  const loaded = loadServiceStep(fixture);
  return { ...loaded, raw: { ...loaded.raw, ...change } };
}

export function target(h: SimHarness, overrides: Partial<Target> = {}): Target {
  return { environment: "dev", region: h.region, cluster: "shop-dev", endpoint: h.url, ...overrides };
}

export function context(h: SimHarness, overrides: Partial<StepContext> = {}): StepContext {
  return {
    target: target(h),
    deploymentId: `test-${Math.random().toString(36).slice(2)}`,
    journal: new FileJournal(mkdtempSync(join(tmpdir(), "slipway-journal-"))),
    clients: h.clients,
    ...overrides,
  };
}

/** Progress as lines a test can read: "status …", "event …", "note …", "stage …". */
export function recorder(): DeploymentProgress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    status: (s) => lines.push(`status ${s.deployments.map((d) => `${d.status} ${d.taskDefinition} ${d.rolloutState ?? "-"} ${d.runningCount}/${d.desiredCount}`).join(" | ")}`),
    event: (e) => lines.push(`event ${e.message}`),
    note: (line) => lines.push(`note ${line}`),
    stage: (line) => lines.push(`stage ${line}`),
  };
}

export function options(overrides: ServiceRunOptions = {}): ServiceRunOptions & { progress: ReturnType<typeof recorder>; records: FileDeploymentRecords } {
  return {
    pacing: fastPolling,
    progress: recorder(),
    records: new FileDeploymentRecords(join(mkdtempSync(join(tmpdir(), "slipway-records-")), "deployments.jsonl")),
    ...overrides,
  } as ServiceRunOptions & { progress: ReturnType<typeof recorder>; records: FileDeploymentRecords };
}

const isRead = (operation: string) => /:(Describe|List|Get)/.test(operation);

/** Calls answered since the last reset, split into reads and writes, by operation (all outcomes). */
export async function callsSince(h: SimHarness): Promise<{ reads: Record<string, number>; writes: Record<string, number>; throttled: number; faults: number }> {
  const counts = (await h.control("GET", "calls")) as CallCounts;
  const reads: Record<string, number> = {};
  const writes: Record<string, number> = {};
  let throttled = 0;
  let faults = 0;
  for (const [operation, outcomes] of Object.entries(counts.byOperation)) {
    const total = Object.values(outcomes).reduce((a, b) => a + (b ?? 0), 0);
    (isRead(operation) ? reads : writes)[operation] = total;
    throttled += outcomes.throttled ?? 0;
    faults += outcomes.fault ?? 0;
  }
  return { reads, writes, throttled, faults };
}

export async function resetCalls(h: SimHarness): Promise<void> {
  await h.control("DELETE", "calls");
}
