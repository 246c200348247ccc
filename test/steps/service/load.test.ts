import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { schemaErrorsFor } from "../../../src/config/schemas.js";
import { settingsFor } from "../../../steps/service/input.js";
import { loadServiceStep, serviceSchemaId } from "../../../steps/service/load.js";

describe("reading a service step file", () => {
  it("fills in the defaults and lays an environment's values over the step's", () => {
    const { raw } = loadServiceStep("test/fixtures/steps/service/web.service.yaml", { environments: ["dev", "prod"] });
    expect(settingsFor(raw, "dev")).toMatchObject({ service: "shop-web", mode: "rolling", desiredCount: 2, launchType: "FARGATE", waitTimeoutSeconds: 20, forceNewDeployment: false });
    expect(settingsFor(raw, "prod").desiredCount).toBe(4);
    expect(settingsFor({ service: "x", desiredCount: 1 }, "dev")).toMatchObject({ deployment: { minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: { enable: true, rollback: true } }, waitTimeoutSeconds: 900 });
  });

  it("reports every problem at once, with where it is and how to fix it", () => {
    let error: InputError | undefined;
    try {
      loadServiceStep("test/fixtures/steps/service/broken.service.yaml", { environments: ["dev", "prod"] });
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    const found = (error?.problems ?? []).map((p) => `${p.path}:${p.line ?? "-"}`);
    expect(found).toEqual(expect.arrayContaining(["/service:1", "/mode:2", "/desiredCount:3", "/environments/prdo:10", "/deployment/circuitBreaker/rollback:8"]));
    // A grace period without a load balancer is ECS's to use (containers' own health checks) or ignore, not an error.
    expect(found).not.toContain("/healthCheckGracePeriodSeconds:4");
    expect(error?.problems.find((p) => p.path === "/environments/prdo")?.hint).toMatch(/^Did you mean "prod"\?/);
  });

  it("has a schema whose example is valid", () => {
    const schema = JSON.parse(readFileSync("schemas/steps/service.schema.json", "utf8")) as { examples: unknown[] };
    for (const example of schema.examples) expect(schemaErrorsFor(serviceSchemaId, example)).toEqual([]);
  });
});
