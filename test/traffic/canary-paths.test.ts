import { describe, expect, it } from "vitest";
import type { PathName, PathResult } from "../../bench/traffic/paths.js";
import { verdictOf } from "../../bench/traffic/summary.js";
import { built, explain, runPaths } from "./traffic-world.js";

/**
 * Zero dropped requests through every canary path, from the client's side: two loops of real HTTP requests (one
 * with the verification header) against the simulated ALB while the CLI deploys, rolls back and resumes.
 */
describe.skipIf(!built)("requests during canary deployments, on the simulated ALB under load", () => {
  let results = new Map<PathName, PathResult>();

  it("runs every canary path with no request failed, and testers never sent to the old revision", { timeout: 600_000 }, async () => {
    results = await runPaths("canary", "zc");
    const exits = Object.fromEntries([...results].map(([name, r]) => [name, r.exits]));
    expect(exits).toEqual({
      canary: ["deploy 1.1.0: exit 0"],
      rollback: ["rollback: exit 0"],
      "failed-canary": ["deploy 1.2.0: exit 3"],
      "kill-resume": ["deploy 1.4.0: SIGKILL at canary 10 %", "resume: exit 0"],
      "control-empty-group": ["ModifyListener 50/50 to an empty canary group for 1 s, then 100/0"],
    });
    for (const name of ["canary", "rollback", "failed-canary", "kill-resume"] as const) {
      const result = results.get(name);
      const verdict = result && verdictOf(result);
      expect(verdict?.requests, explain(result)).toBeGreaterThan(500);
      expect(verdict?.failures, `${name}:\n${explain(result)}`).toEqual([]);
      // Through the verification rule, the header reaches the new stack only.
      expect(verdict?.headerViaRuleByOld, `${name}:\n${explain(result)}`).toEqual([]);
    }
    // A canary that completes — straight through, or killed and resumed — never hands a tester back to the old
    // revision once the rule has answered: the old primary is gone before the rule closes.
    for (const name of ["canary", "kill-resume"] as const) expect(verdictOf(results.get(name) as PathResult).headerViaDefaultByOld, explain(results.get(name))).toEqual([]);
    // The instrument sees failures when there are any: half the traffic to a group with no healthy target is 503s.
    const control = verdictOf(results.get("control-empty-group") as PathResult);
    expect(control.failures.length).toBeGreaterThan(0);
    expect(new Set(control.failures.map((s) => s.outcome))).toEqual(new Set([503]));
  });
});
