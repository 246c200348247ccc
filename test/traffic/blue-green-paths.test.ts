import { describe, expect, it } from "vitest";
import type { PathResult } from "../../bench/traffic/paths.js";
import { verdictOf } from "../../bench/traffic/summary.js";
import { built, explain, runPaths } from "./traffic-world.js";

/** Zero dropped requests through blue/green to completion and an abort after all traffic moved, under load. */
describe.skipIf(!built)("requests during blue/green deployments, on the simulated ALB under load", () => {
  it("moves all traffic to green and back on abort with no request failed", { timeout: 600_000 }, async () => {
    const results = await runPaths("blue-green", "zb");
    expect(Object.fromEntries([...results].map(([name, r]) => [name, r.exits]))).toEqual({
      "blue-green": ["deploy 1.1.0: exit 0"],
      "abort-after-shift": ["abort: exit 0", "deploy 1.2.0: exit 3"],
    });
    for (const name of ["blue-green", "abort-after-shift"] as const) {
      const result = results.get(name);
      const verdict = result && verdictOf(result);
      expect(verdict?.requests, explain(result)).toBeGreaterThan(500);
      expect(verdict?.failures, `${name}:\n${explain(result)}`).toEqual([]);
      expect(verdict?.headerViaRuleByOld, `${name}:\n${explain(result)}`).toEqual([]);
    }
    expect(verdictOf(results.get("blue-green") as PathResult).headerViaDefaultByOld, explain(results.get("blue-green"))).toEqual([]);
  });
});
