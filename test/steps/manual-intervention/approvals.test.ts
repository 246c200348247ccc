import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../../../src/aws/clients.js";
import { waitForDecision, type Approvals } from "../../../src/engine/approvals.js";
import type { Store } from "../../../src/engine/store.js";
import { ConflictError, DeploymentFailedError, InputError } from "../../../src/errors.js";
import { openStore, type OpenStoreOptions } from "../../../src/storage/open-store.js";
import { approvalHook, manualInterventionStep, runManualIntervention, waitingMessage } from "../../../steps/manual-intervention/index.js";
import { loadManualInterventionStep } from "../../../steps/manual-intervention/load.js";
import { stepNamed } from "../../../steps/registry.js";
import type { StepContext } from "../../../steps/step.js";
import { untilGateOpen } from "../../support/project-store.js";

const fast = { pollIntervalMs: 10 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/**
 * Gates are kept in a project's store: one embedded PGlite for the whole file (its first open takes seconds), each
 * test with deployment ids of its own. More handles on the same folder are what other commands open.
 */
let stateDir: string;
let store: Store;
let approvals: Approvals;
const handles: Store[] = [];
async function anotherHandle(extra: Partial<OpenStoreOptions> = {}): Promise<Store> {
  const handle = await openStore({ stateDir, project: "shop", ...extra });
  handles.push(handle);
  return handle;
}
beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "slipway-approvals-"));
  store = await openStore({ stateDir, project: "shop" });
  approvals = store.approvals;
});
afterAll(async () => {
  for (const handle of handles) await handle.close();
  await store.close();
});

describe("approval gates in the store", () => {
  it("a waiting deployment learns an approval made through another handle on the store, with who and why", async () => {
    const approve = approvalHook({ approvals, deploymentId: "dep-1", ...fast });
    const waiting = approve({ stage: "canary 10%", summary: "send 10% of traffic to 1.5.0" });
    await untilGateOpen(store, "dep-1");
    // Another command opens its own handle on the same store (test/cli/approve.test.ts: one in another process).
    const approver = (await anotherHandle()).approvals;
    const open = (await approver.list({ open: true })).filter((g) => g.deploymentId === "dep-1");
    expect(open.map((g) => [g.deploymentId, g.stage, g.summary])).toEqual([["dep-1", "canary 10%", "send 10% of traffic to 1.5.0"]]);
    const decision = await approver.decide({ deploymentId: "dep-1", verdict: "approved", by: "alice", reason: "error rate flat" });
    expect(decision).toMatchObject({ outcome: "approved", by: "alice", reason: "error rate flat", stage: "canary 10%" });
    expect(await waiting).toBe(true);
    const gate = await approver.get({ deploymentId: "dep-1", stage: "canary 10%" });
    expect(waitingMessage(gate!)).toBe('waiting for a decision on "canary 10%": slipway approve dep-1 --stage "canary 10%", or slipway abort dep-1 --stage "canary 10%" [--reason …]');
    expect((await approver.list({ open: true })).filter((g) => g.deploymentId === "dep-1")).toEqual([]);
    expect(gate?.decision?.by).toBe("alice");
  });

  it("an abort answers false, and a second decision is refused naming who decided first", async () => {
    const waiting = approvalHook({ approvals, deploymentId: "dep-2", ...fast })({ stage: "promote", summary: "promote 1.5.0" });
    await untilGateOpen(store, "dep-2");
    await approvals.decide({ deploymentId: "dep-2", verdict: "aborted", by: "bob", reason: "checkout errors" });
    expect(await waiting).toBe(false);
    const second = await rejection(approvals.decide({ deploymentId: "dep-2", verdict: "approved", by: "alice" }));
    expect(second).toBeInstanceOf(ConflictError);
    expect(second.message).toMatch(/^The gate "promote" of deployment dep-2 was already decided: aborted by bob at \S+: checkout errors\.$/);
  });

  it("of two decisions racing through two handles, exactly one wins and the other is told who won", async () => {
    const a = approvals;
    const b = (await anotherHandle()).approvals;
    await a.open({ deploymentId: "dep-3", stage: "promote", summary: "promote" });
    const results = await Promise.allSettled([a.decide({ deploymentId: "dep-3", verdict: "approved", by: "alice" }), b.decide({ deploymentId: "dep-3", verdict: "aborted", by: "bob" })]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (await a.get({ deploymentId: "dep-3", stage: "promote" }))?.decision;
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    expect((lost[0]?.reason as Error).message).toContain(`already decided: ${winner?.outcome} by ${winner?.by}`);
  });

  it("a gate nobody decides in time aborts, recorded as timed out; deciding after that is refused", async () => {
    const approve = approvalHook({ approvals, deploymentId: "dep-4", timeoutSeconds: 0.1, ...fast });
    const started = Date.now();
    expect(await approve({ stage: "promote", summary: "promote" })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const gate = await approvals.get({ deploymentId: "dep-4", stage: "promote" });
    expect(gate?.decision).toMatchObject({ outcome: "timed-out", by: "slipway", reason: "no decision within 0.1s" });
    const late = await rejection(approvals.decide({ deploymentId: "dep-4", verdict: "approved", by: "alice" }));
    expect(late.message).toContain("already decided: timed out by slipway");
  });

  it("an approver deciding after the timeout passed, while the deployment was not looking, records the timeout", async () => {
    let now = new Date("2026-01-01T10:00:00Z");
    const approvals = (await anotherHandle({ now: () => now })).approvals;
    await approvals.open({ deploymentId: "dep-5", stage: "promote", summary: "promote", timeoutSeconds: 60 });
    now = new Date("2026-01-01T10:01:00Z");
    const late = await rejection(approvals.decide({ deploymentId: "dep-5", verdict: "approved", by: "alice" }));
    expect(late).toBeInstanceOf(ConflictError);
    expect(late.message).toBe('The gate "promote" of deployment dep-5 was already decided: timed out by slipway at 2026-01-01T10:01:00.000Z: no decision within 60s.');
    expect((await waitForDecision(approvals, { deploymentId: "dep-5", stage: "promote" }, { now: () => now })).outcome).toBe("timed-out");
  });

  it("reopening a gate (a resumed deployment) returns it as it stands, decision included", async () => {
    await approvals.open({ deploymentId: "dep-6", stage: "promote", summary: "promote" });
    await approvals.decide({ deploymentId: "dep-6", verdict: "approved", by: "alice" });
    const reopened = await approvals.open({ deploymentId: "dep-6", stage: "promote", summary: "promote" });
    expect(reopened.decision?.by).toBe("alice");
    expect(await approvalHook({ approvals, deploymentId: "dep-6", ...fast })({ stage: "promote", summary: "promote" })).toBe(true);
  });

  it("names the problem with an unknown deployment or stage, several waiting gates, or someone not on the list", async () => {
    // No gate (yet), or none of that stage: a conflict with where the deployment stands, which may change.
    expect(await rejection(approvals.decide({ deploymentId: "nope", verdict: "approved", by: "alice" }))).toBeInstanceOf(ConflictError);
    await approvals.open({ deploymentId: "dep-7", stage: "a", summary: "a", approvers: ["alice"] });
    await approvals.open({ deploymentId: "dep-7", stage: "b", summary: "b" });
    const unknownStage = await rejection(approvals.decide({ deploymentId: "dep-7", stage: "c", verdict: "approved", by: "alice" }));
    expect(unknownStage).toBeInstanceOf(ConflictError);
    expect((unknownStage as ConflictError).hint).toBe("Its gates are: a, b.");
    const ambiguous = await rejection(approvals.decide({ deploymentId: "dep-7", verdict: "approved", by: "alice" }));
    expect(ambiguous).toBeInstanceOf(InputError);
    expect(ambiguous.message).toBe("Deployment dep-7 has 2 gates waiting: a, b.");
    const stranger = await rejection(approvals.decide({ deploymentId: "dep-7", stage: "a", verdict: "approved", by: "mallory" }));
    expect(stranger).toBeInstanceOf(InputError);
    expect(stranger.message).toBe('mallory may not decide the gate "a" of deployment dep-7.');
    expect((await approvals.get({ deploymentId: "dep-7", stage: "a" }))?.decision).toBeUndefined();
    expect(await rejection(approvals.decide({ deploymentId: "../etc", verdict: "approved", by: "alice" }))).toBeInstanceOf(InputError);
  });
});

describe("the manual intervention step", () => {
  const fixture = "test/fixtures/steps/manual-intervention/approve-canary.step.yaml";

  it("loads its file with defaults, and is in the registry", () => {
    const { input } = loadManualInterventionStep(fixture);
    expect(input).toEqual({ instructions: "Check the canary's error rate on the shop dashboard.\nApprove to send it all traffic; abort to roll back.\n", stage: "approve canary", timeoutSeconds: 3600, approvers: ["alice", "bob"] });
    expect(stepNamed("manual-intervention")?.schema).toBe("https://slipway.dev/schemas/v1/steps/manual-intervention.schema.json");
  });

  it("reports every problem of a broken file at once", () => {
    let error: unknown;
    try {
      loadManualInterventionStep("test/fixtures/steps/manual-intervention/broken.step.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.path).sort()).toEqual(["/approvers", "/instructions", "/stage", "/timeoutSeconds", "/who"]);
  });

  it("goes ahead when approved and fails the deployment, saying who and why, when aborted", async () => {
    const input = { instructions: "Check the dashboard.", stage: "go live", approvers: ["alice"] };
    const approved = runManualIntervention(input, { approvals, deploymentId: "dep-8", ...fast });
    await untilGateOpen(store, "dep-8");
    await approvals.decide({ deploymentId: "dep-8", verdict: "approved", by: "alice" });
    expect((await approved).by).toBe("alice");

    const aborted = runManualIntervention(input, { approvals, deploymentId: "dep-9", ...fast });
    await untilGateOpen(store, "dep-9");
    await approvals.decide({ deploymentId: "dep-9", verdict: "aborted", by: "alice", reason: "not today" });
    const failure = await rejection(aborted);
    expect(failure).toBeInstanceOf(DeploymentFailedError);
    expect(failure.message).toMatch(/^Deployment dep-9 stopped at "go live": aborted by alice at \S+: not today\.$/);
  });

  it("fails the deployment when nobody decides in time, saying so", async () => {
    const input = { instructions: "Check the dashboard.", stage: "go live", approvers: [], timeoutSeconds: 0.1 };
    const failure = await rejection(runManualIntervention(input, { approvals, deploymentId: "dep-10", ...fast }));
    expect(failure).toBeInstanceOf(DeploymentFailedError);
    expect(failure.message).toMatch(/^Deployment dep-10 stopped at "go live": timed out by slipway at \S+: no decision within 0\.1s\.$/);
    expect((failure as DeploymentFailedError).hint).toBe("Nothing after this gate ran. Deploy again when it is ready to go ahead.");
  });

  describe("run from the registry", () => {
    const clients = createAwsClients({ region: "us-east-1" });
    afterAll(() => clients.destroy());
    const context = (deploymentId: string, extra: Partial<StepContext> = {}): StepContext => ({ target: { environment: "prod", region: "us-east-1", cluster: "shop-prod" }, deploymentId, journal: store.journal, clients, ...extra });

    it("keeps its gate in the context's approvals, where `slipway approve` decides it", async () => {
      const loaded = manualInterventionStep.load(fixture);
      const running = manualInterventionStep.run(loaded, context("dep-11", { approvals }));
      await untilGateOpen(store, "dep-11");
      expect(await approvals.get({ deploymentId: "dep-11", stage: "approve canary" })).toMatchObject({ approvers: ["alice", "bob"], timeoutSeconds: 3600, summary: "Check the canary's error rate on the shop dashboard." });
      await approvals.decide({ deploymentId: "dep-11", verdict: "approved", by: "bob", reason: "error rate flat" });
      const { plan, output } = await running;
      expect(plan.step).toBe("manual-intervention:approve canary");
      expect(output).toMatchObject({ outcome: "approved", by: "bob", reason: "error rate flat" });
    });

    it("a dry run plans the wait and opens no gate", async () => {
      const { plan, output } = await manualInterventionStep.run(manualInterventionStep.load(fixture), context("dep-12", { dryRun: true }));
      expect(plan.notes).toEqual([`waits for a person to approve "approve canary" (approvers: alice, bob; nobody deciding within 3600 s aborts it): Check the canary's error rate on the shop dashboard.`]);
      expect(output).toBeUndefined();
      expect(await approvals.get({ deploymentId: "dep-12", stage: "approve canary" })).toBeUndefined();
    });

    it("without approvals in the context, reaching the gate is a clear error, not a gate nobody can find", async () => {
      const failure = await rejection(manualInterventionStep.run(manualInterventionStep.load(fixture), context("dep-13")));
      expect(failure).toBeInstanceOf(InputError);
      expect(failure.message).toBe("This deployment reached an approval gate, but it was run without a store to keep gates in.");
      expect((failure as InputError).hint).toBe("Run it with slipway deploy or slipway service deploy, which keep gates in the project's store where slipway approve finds them.");
    });
  });
});
