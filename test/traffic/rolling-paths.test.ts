import { describe, expect, it } from "vitest";
import { verdictOf } from "../../bench/traffic/summary.js";
import { built, explain, runPaths } from "./traffic-world.js";

/** Zero dropped requests through a rolling deployment by the ECS controller, under load. */
describe.skipIf(!built)("requests during a rolling deployment, on the simulated ALB under load", () => {
  it("replaces every task with no request failed, the new revision serving all of them at the end", { timeout: 600_000 }, async () => {
    const results = await runPaths("rolling", "zr");
    const result = results.get("rolling");
    expect(result?.exits).toEqual(["deploy 1.1.0: exit 0"]);
    const verdict = result && verdictOf(result);
    expect(verdict?.requests, explain(result)).toBeGreaterThan(200);
    expect(verdict?.failures, explain(result)).toEqual([]);
    // The last half second: only the new revision answers.
    const samples = result?.samples ?? [];
    const end = Math.max(...samples.map((s) => s.t));
    const last = new Set(samples.filter((s) => s.t > end - 500).map((s) => s.revision));
    expect(last, explain(result)).toEqual(new Set(["zr-web:2"]));
  });
});
