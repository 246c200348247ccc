import { describe, expect, it } from "vitest";
import { verdictOf } from "../../bench/traffic/summary.js";
import { built, explain, runPaths } from "./traffic-world.js";

/**
 * A canary aborted at each stage where traffic is at stake — testers on it through the header, half the traffic
 * on it, the new primary starting beside the old one — goes back to the old revision with no request failed.
 */
describe.skipIf(!built)("requests during aborted canaries, on the simulated ALB under load", () => {
  it("rolls back from verification, mid-shift and the primary rollout with no request failed", { timeout: 600_000 }, async () => {
    const results = await runPaths("canary-aborts", "za");
    expect(Object.fromEntries([...results].map(([name, r]) => [name, r.exits]))).toEqual({
      "abort-in-verification": ["abort: exit 0", "deploy 1.1.0: exit 3"],
      "abort-mid-shift": ["abort: exit 0", "deploy 1.2.0: exit 3"],
      "abort-in-primary-rollout": ["abort: exit 0", "deploy 1.3.0: exit 3"],
    });
    for (const [name, result] of results) {
      const verdict = verdictOf(result);
      expect(verdict.requests, explain(result)).toBeGreaterThan(500);
      expect(verdict.failures, `${name}:\n${explain(result)}`).toEqual([]);
      expect(verdict.headerViaRuleByOld, `${name}:\n${explain(result)}`).toEqual([]);
      // Each ends where it began: the old revision serves everything, the header included.
      const end = Math.max(...result.samples.map((s) => s.t));
      expect(new Set(result.samples.filter((s) => s.t > end - 300).map((s) => s.revision)), `${name}:\n${explain(result)}`).toEqual(new Set([verdict.oldRevision]));
    }
  });
});
