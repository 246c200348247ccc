import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ProjectStores } from "../support/project-store.js";
import { runCli } from "./capture.js";

describe("who decided a gate", () => {
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("records the operating-system login beside the name given with --as", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-approve-login-"));
    const project = join(dir, "slipway.yaml");
    writeFileSync(project, "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: prod\ntargets:\n  prod:\n    region: us-east-1\n    cluster: shop-prod\n");
    const store = await stores.of(project);
    await store.approvals.open({ deploymentId: "dep-9", stage: "promote", summary: "promote", approvers: ["alice"] });
    const decided = await runCli("approve", "dep-9", "--as", "alice", "--reason", "looks good", "--project", project);
    expect(decided.code).toBe(0);
    const gate = await store.approvals.get({ deploymentId: "dep-9", stage: "promote" });
    // --as is what the decider says; the login is what ran the command, so the record cannot be quietly borrowed.
    expect(gate?.decision).toMatchObject({ outcome: "approved", by: "alice", login: userInfo().username, reason: "looks good" });
    // The audit trail names the login too, with the name given.
    expect(await store.audit.list()).toMatchObject([{ actor: `cli:${userInfo().username}`, action: "gate.approve", subject: "dep-9", detail: { stage: "promote", as: "alice" } }]);
  });
});
