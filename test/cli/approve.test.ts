import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Approvals } from "../../src/engine/approvals.js";
import type { Store } from "../../src/engine/store.js";
import { approvalHook } from "../../steps/manual-intervention/index.js";
import { ProjectStores, seedProjectStore, untilGateOpen } from "../support/project-store.js";
import { runCli } from "./capture.js";

/**
 * A project directory with a valid project file (an environment and its target inline): approvals live in the
 * project's store, shared by the deploying and the deciding side.
 */
async function projectFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-approve-"));
  writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: prod\ntargets:\n  prod:\n    region: us-east-1\n    cluster: shop-prod\n");
  await seedProjectStore(dir);
  return join(dir, "slipway.yaml");
}

/** The built CLI in a real second process, as a person in another terminal runs it. */
function slipwayProcess(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/slipway.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("slipway approve, abort and approvals", () => {
  const stores = new ProjectStores();
  let p: { project: string; store: Store; approvals: Approvals };
  beforeEach(async () => {
    const project = await projectFile();
    const store = await stores.of(project);
    p = { project, store, approvals: store.approvals };
  });
  afterEach(() => stores.closeAll());

  it("a deployment waiting in this process goes ahead when `slipway approve` runs in a second process", async () => {
    const approve = approvalHook({ approvals: p.approvals, deploymentId: "deploy-prod-shop-web-1", approvers: ["alice"], instructions: "Check the dashboard.", pollIntervalMs: 20 });
    const waiting = approve({ stage: "canary 10%", summary: "send 10% of traffic to shop-web:7" });
    await untilGateOpen(p.store, "deploy-prod-shop-web-1");
    const decided = await slipwayProcess("approve", "deploy-prod-shop-web-1", "--as", "alice", "--reason", "error rate flat", "--project", p.project);
    expect(decided.stderr).toBe("");
    expect(decided.stdout).toBe('approved "canary 10%" of deployment deploy-prod-shop-web-1 as alice: error rate flat\n');
    expect(decided.code).toBe(0);
    expect(await waiting).toBe(true);

    const again = await slipwayProcess("abort", "deploy-prod-shop-web-1", "--as", "alice", "--project", p.project);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^error: The gate "canary 10%" of deployment deploy-prod-shop-web-1 was already decided: approved by alice at \S+: error rate flat\.\nhint: /);
  });

  it("lists the waiting gates with what to check, then aborts one: the waiter hears no", async () => {
    const waiting = approvalHook({ approvals: p.approvals, deploymentId: "dep-1", timeoutSeconds: 600, instructions: "Check the dashboard.\nThen decide.", pollIntervalMs: 20 })({ stage: "promote", summary: "promote shop-web:7" });
    await untilGateOpen(p.store, "dep-1");
    const listed = await runCli("approvals", "--project", p.project);
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^DEPLOYMENT\s+STAGE\s+OPENED\s+EXPIRES\s+APPROVERS\s+STATUS$/);
    expect(listed.out[1]).toMatch(/^dep-1\s+promote\s+\S+Z\s+\S+Z\s+anyone\s+waiting$/);
    expect(listed.out.slice(2)).toEqual(["  promote shop-web:7", "  Check the dashboard.", "  Then decide."]);

    const aborted = await runCli("abort", "dep-1", "--as", "bob", "--reason", "checkout errors", "--project", p.project);
    expect(aborted).toEqual({ code: 0, out: ['aborted "promote" of deployment dep-1 as bob: checkout errors'], err: "" });
    expect(await waiting).toBe(false);
    expect((await runCli("approvals", "--project", p.project)).out).toEqual(["no approval gates waiting"]);
    const all = await runCli("approvals", "--all", "--json", "--project", p.project);
    expect(JSON.parse(all.out.join("\n"))).toMatchObject([{ deploymentId: "dep-1", stage: "promote", decision: { outcome: "aborted", by: "bob", reason: "checkout errors" } }]);
  });

  it("defaults the decider to $USER and refuses someone not on the gate's list", async () => {
    await p.approvals.open({ deploymentId: "dep-2", stage: "promote", summary: "promote", approvers: ["alice"] });
    const previous = process.env.USER;
    process.env.USER = "mallory";
    try {
      const refused = await runCli("approve", "dep-2", "--project", p.project);
      expect(refused.code).toBe(2);
      expect(refused.err).toBe('error: mallory may not decide the gate "promote" of deployment dep-2.\nhint: Its approvers are: alice. Say who you are with --as <name>.');
    } finally {
      process.env.USER = previous;
    }
    expect((await runCli("approve", "dep-2", "--as", "alice", "--project", p.project)).code).toBe(0);
  });

  it("a gate that timed out is reported as such to a late approver", async () => {
    const waiting = approvalHook({ approvals: p.approvals, deploymentId: "dep-3", timeoutSeconds: 0.05, pollIntervalMs: 10 })({ stage: "promote", summary: "promote" });
    expect(await waiting).toBe(false);
    const late = await runCli("approve", "dep-3", "--as", "alice", "--project", p.project);
    expect(late.code).toBe(4);
    expect(late.err).toMatch(/already decided: timed out by slipway at \S+: no decision within 0\.05s\./);
  });

  it("says plainly when the deployment, the stage or the project is unknown: no stack trace", async () => {
    const unknown = await runCli("approve", "dep-404", "--as", "alice", "--project", p.project);
    expect(unknown).toEqual({ code: 4, out: [], err: "error: Deployment dep-404 has no approval gate.\nhint: Check the deployment id; `slipway approvals` lists the gates waiting for a decision." });
    await p.approvals.open({ deploymentId: "dep-4", stage: "promote", summary: "promote" });
    const stage = await runCli("abort", "dep-4", "--stage", "canary", "--as", "alice", "--project", p.project);
    expect(stage.err).toBe('error: Deployment dep-4 has no gate "canary".\nhint: Its gates are: promote.');
    const noProject = await runCli("approvals", "--project", "/nonexistent/slipway.yaml");
    expect(noProject.code).toBe(2);
    expect(noProject.err).toMatch(/^error: \/nonexistent\/slipway.yaml does not exist\./);
    expect([unknown.err, stage.err, noProject.err].join("\n")).not.toMatch(/\n\s+at /);
  });
});
