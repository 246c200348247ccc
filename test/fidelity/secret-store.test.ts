import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { AwsSecretStore } from "../../src/aws/secrets.js";
import { FileJournal } from "../../src/storage/file-journal.js";
import { provideSecrets } from "../../steps/task-definition/provide-secrets.js";
import type { SecretSource } from "../../steps/task-definition/secret-sources.js";
import type { Backend } from "../support/backends.js";
import { fidelitySuite } from "./suite.js";
import { normalise } from "./normalise.js";

const region = "eu-south-1";

/** slipway's own secret handling (the task definition step's first half) on one backend, for one value. */
async function provide(b: Backend, value: string) {
  const owned: SecretSource = { variable: "DB_PASSWORD", kind: "owned", name: "slipway/orders/prod/DB_PASSWORD", project: "orders", value };
  const execution = { deploymentId: `d-${Math.random().toString(36).slice(2)}`, journal: new FileJournal(mkdtempSync(join(tmpdir(), "slipway-journal-"))) };
  const provided = await provideSecrets([owned], new AwsSecretStore(b.clients.secretsManager), { step: "task-definition:orders", environment: "prod", dryRun: false, execution });
  return { actions: provided.plan.actions.map((a) => a.kind), reference: provided.references.DB_PASSWORD ?? "" };
}

fidelitySuite("slipway's owned secrets", region, ({ compared }) => {
  compared("creates a secret once, reuses its version while the value holds, and pins a new version when it changes", async (b) => {
    const first = await provide(b, "first-value-1234");
    const again = await provide(b, "first-value-1234");
    const rotated = await provide(b, "second-value-5678");
    expect(again.reference).toBe(first.reference);
    expect(rotated.reference).not.toBe(first.reference);
    const current = await b.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: "slipway/orders/prod/DB_PASSWORD" }));
    expect(current.SecretString).toBe("second-value-5678");
    expect(`${rotated.reference.split(":::")[0] ?? ""}:::${current.VersionId ?? ""}`).toBe(rotated.reference);
    const shape = (reference: string) => reference.replace(/-[A-Za-z0-9]{6}:::/, "-<suffix>:::");
    return normalise({ rounds: [first, again, rotated].map((r) => ({ actions: r.actions, reference: shape(r.reference) })) }, b);
  });
});
