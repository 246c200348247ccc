import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaErrorsFor } from "../../../src/config/schemas.js";
import { InputError } from "../../../src/errors.js";
import { stepNamed } from "../../../steps/registry.js";
import { loadVerificationStep } from "../../../steps/verification/load.js";

const fixture = (name: string) => `test/fixtures/steps/verification/${name}.step.yaml`;

function problemsOf(file: string): string[] {
  try {
    loadVerificationStep(file);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => `${p.line ?? 0}:${p.column ?? 0} ${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("the verification step file", () => {
  it("loads with defaults filled in, and is in the registry", () => {
    const { input } = loadVerificationStep(fixture("shop-web"));
    expect(input).toEqual({
      service: "shop-web",
      targetGroup: "canary",
      match: { header: { name: "X-Slipway-Verify", values: ["tester-7f3a"] }, query: { key: "slipway-verify", value: "tester-7f3a" } },
      scope: { hosts: ["shop.example.com"], paths: [] },
      probes: { baseUrl: "http://127.0.0.1:8080", checks: [{ path: "/health", bodyContains: '"version":"2', expectStatus: 200, timeoutSeconds: 5, attempts: 3, intervalSeconds: 2 }] },
    });
    expect(stepNamed("verification")?.schema).toBe("https://slipway.dev/schemas/v1/steps/verification.schema.json");
  });

  it("reports every schema problem at once, with its position", () => {
    const problems = problemsOf(fixture("broken"));
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.some((p) => p.startsWith("1:10 /service:"))).toBe(true);
    expect(problems.some((p) => p.includes("/match/header/name"))).toBe(true);
    expect(problems.some((p) => p.includes("/match/header/values"))).toBe(true);
    expect(problems.some((p) => p.includes("/probes/baseUrl"))).toBe(true);
    expect(problems.some((p) => p.includes("/probes/checks"))).toBe(true);
  });

  it("counts ALB's five condition values per rule across the match and the scope", () => {
    expect(problemsOf(fixture("too-many-values"))).toEqual(["3:3 /match/header: The header rule would have 6 condition values (its own plus scope's hosts and paths); an ALB rule allows 5."]);
  });

  it.each(["verification", "manual-intervention"])("the %s schema's own example is valid", (name) => {
    const schema = JSON.parse(readFileSync(`schemas/steps/${name}.schema.json`, "utf8")) as { $id: string; examples: unknown[] };
    for (const example of schema.examples) expect(schemaErrorsFor(schema.$id, example)).toEqual([]);
  });
});
