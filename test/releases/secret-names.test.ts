import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectSecretEnvironmentNames } from "../../src/releases/secret-names.js";

/** A task-definition step whose template uses a secret variable in a plain entry and passes another as an ECS secret. */
const stepFile = [
  "family: shop-web",
  "definition:",
  "  executionRoleArn: arn:aws:iam::000000000000:role/shop-execution",
  "  containerDefinitions:",
  "    - name: web",
  "      image: shop/web",
  "      environment:",
  '        - { name: DATABASE_URL, value: "postgres://shop:${DB_PASSWORD}@db.internal/shop" }',
  '        - { name: LOG_LEVEL, value: "${LOG_LEVEL}" }',
  "      secrets:",
  '        - { name: API_TOKEN, valueFrom: "arn:aws:secretsmanager:us-east-1:000000000000:secret:api-token" }',
  "images:",
  '  web: { tag: "1.0.0" }',
  "",
].join("\n");

describe("the secret environment entries of a project", () => {
  it("are its secret variables, the entries whose template value uses one, and the template's ECS secrets", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-feed-secrets-"));
    const file = join(dir, "web.step.yaml");
    writeFileSync(file, stepFile);
    const names = projectSecretEnvironmentNames({
      steps: [
        { name: "web-taskdef", uses: "task-definition", file },
        { name: "web", uses: "service", file: join(dir, "not-read.service.yaml") },
      ],
      channels: [{ name: "default", isDefault: true, imageTags: {} }],
      variables: { default: { LOG_LEVEL: "info" }, prod: { DB_PASSWORD: { secret: true, fromEnv: "SHOP_DB_PASSWORD" } } },
    });
    expect([...names].sort()).toEqual(["API_TOKEN", "DATABASE_URL", "DB_PASSWORD"]);
  });

  it("are none for a project without secret variables or task definitions", () => {
    expect(projectSecretEnvironmentNames({ steps: [], channels: [{ name: "default", isDefault: true, imageTags: {} }], variables: {} }).size).toBe(0);
  });
});
