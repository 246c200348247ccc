import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallCounts } from "../../../src/sim/call-ledger.js";
import { FileJournal } from "../../../src/storage/file-journal.js";
import type { StepContext } from "../../../steps/step.js";
import type { SimHarness } from "../../support/sim.js";

/** Shared steps for the task definition scenarios: images pushed to the simulator's ECR, a step context, call counts. */

export async function push(h: SimHarness, repository: string, ...tags: string[]): Promise<string> {
  const out = (await h.control("POST", "ecr/push", { repository, tags, create: true })) as { imageDigest: string };
  return out.imageDigest;
}

export function context(h: SimHarness, overrides: Partial<StepContext> = {}): StepContext {
  return {
    target: { environment: "dev", region: h.region, cluster: "shop-dev", endpoint: h.url },
    deploymentId: `test-${Math.random().toString(36).slice(2)}`,
    journal: new FileJournal(mkdtempSync(join(tmpdir(), "slipway-journal-"))),
    clients: h.clients,
    ...overrides,
  };
}

const isRead = (operation: string) => /:(Describe|List|Get)/.test(operation);

/** Calls answered since the last reset, split into reads and writes, by operation. */
export async function callsSince(h: SimHarness): Promise<{ reads: Record<string, number>; writes: Record<string, number> }> {
  const counts = (await h.control("GET", "calls")) as CallCounts;
  const reads: Record<string, number> = {};
  const writes: Record<string, number> = {};
  for (const [operation, outcomes] of Object.entries(counts.byOperation)) {
    const total = Object.values(outcomes).reduce((a, b) => a + (b ?? 0), 0);
    (isRead(operation) ? reads : writes)[operation] = total;
  }
  return { reads, writes };
}

export async function resetCalls(h: SimHarness): Promise<void> {
  await h.control("DELETE", "calls");
}
