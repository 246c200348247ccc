import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadServiceStep } from "../../../steps/service/load.js";
import { InputError } from "../../../src/errors.js";

describe("canary stage values the load balancer would refuse", () => {
  it("refuses a fractional traffic share at load, before any task set starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-stages-"));
    const file = join(dir, "canary.service.yaml");
    copyFileSync("test/fixtures/steps/service/canary.service.yaml", file);
    // ALB forward weights are whole numbers: 12.5 % would only fail at ModifyRule, mid-deployment.
    writeFileSync(file, readFileSync(file, "utf8").replace("trafficRouting: { canary: 10 }", "trafficRouting: { canary: 12.5 }"));
    const error = (() => {
      try {
        loadServiceStep(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    const problem = (error as InputError).problems.find((p) => p.path === "/stages/2/trafficRouting/canary");
    expect(problem?.message).toMatch(/whole number/);
  });
});
