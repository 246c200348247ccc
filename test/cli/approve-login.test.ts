import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileApprovals } from "../../src/storage/file-approvals.js";
import { runCli } from "./capture.js";

describe("who decided a gate", () => {
  it("records the operating-system login beside the name given with --as", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-approve-login-"));
    const project = join(dir, "slipway.yaml");
    writeFileSync(project, "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: prod\n");
    const approvals = new FileApprovals(join(dir, ".slipway", "approvals"));
    await approvals.open({ deploymentId: "dep-9", stage: "promote", summary: "promote", approvers: ["alice"] });
    const decided = await runCli("approve", "dep-9", "--as", "alice", "--reason", "looks good", "--project", project);
    expect(decided.code).toBe(0);
    const gate = await approvals.get({ deploymentId: "dep-9", stage: "promote" });
    // --as is what the decider says; the login is what ran the command, so the record cannot be quietly borrowed.
    expect(gate?.decision).toMatchObject({ outcome: "approved", by: "alice", login: userInfo().username, reason: "looks good" });
  });
});
