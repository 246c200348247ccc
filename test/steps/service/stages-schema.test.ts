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

/** The problems loading the canary fixture gives with one line of its stages replaced. */
function problemsWith(line: string, replacement: string) {
  const dir = mkdtempSync(join(tmpdir(), "slipway-stages-"));
  const file = join(dir, "canary.service.yaml");
  const text = readFileSync("test/fixtures/steps/service/canary.service.yaml", "utf8");
  expect(text).toContain(line);
  writeFileSync(file, text.replace(line, replacement));
  try {
    loadServiceStep(file);
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  throw new Error("the step loaded");
}

describe("a stage's mistakes, one problem each", () => {
  it("a misspelt stage name is one problem, at the name, with the stage it meant", () => {
    const problems = problemsWith("trafficRouting: { canary: 10 }", "trafficRoute: { canary: 10 }");
    expect(problems).toEqual([
      expect.objectContaining({
        path: "/stages/2/trafficRoute",
        message: expect.stringMatching(/^"trafficRoute" is not one of the keys item 3 of "stages" may have: canaryRollout, .*trafficRouting/) as string,
        hint: 'Did you mean "trafficRouting"? Write trafficRouting: { canary: 10 }',
      }),
    ]);
  });

  it("a value out of range is one problem naming the range, not ten about the other stages", () => {
    const problems = problemsWith("trafficRouting: { canary: 10 }", "trafficRouting: { canary: 150 }");
    expect(problems).toEqual([expect.objectContaining({ path: "/stages/2/trafficRouting/canary", message: '"canary" is 150, but must be at most 100.', hint: expect.stringMatching(/^Use a whole number from 0 to 100\./) as string })]);
  });

  it("a stage holding two stages is told which key does not belong", () => {
    const problems = problemsWith("trafficRouting: { canary: 10 }", "{ trafficRouting: { canary: 10 }, pause: { seconds: 5 } }");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^Unknown key "(pause|trafficRouting)"\.$/);
  });
});
