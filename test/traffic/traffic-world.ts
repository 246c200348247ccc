import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startTrafficSimulator } from "../../bench/traffic/simulator.js";
import { runWorld, type PathName, type PathResult, type TrafficSettings, type WorldKind } from "../../bench/traffic/paths.js";
import { summarise, timeline } from "../../bench/traffic/summary.js";

/**
 * The deployment paths of bench/traffic under load, for tests: the simulator at 200× with AWS's default target
 * group timings (health checks 30 s × 5, deregistration delay 300 s), each request taking half a simulated second
 * (so one in flight can be cut), and listener weights reaching the load balancer's nodes 5 simulated seconds
 * after the API call. Deployments are made by the built CLI (`npm test` builds it first).
 */
export const speed = 200;
export const requestSeconds = 0.5;
export const weightPropagationSeconds = 5;

export const built = existsSync(fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url)));

export async function runPaths(kind: WorldKind, prefix: string): Promise<Map<PathName, PathResult>> {
  const { close, ...simulator } = await startTrafficSimulator({ speed, seed: 11, requestSeconds, weightPropagationSeconds });
  const settings: TrafficSettings = {
    ...simulator,
    rate: 100,
    concurrency: 4,
    maxSeconds: 240,
    verifyHeader: { name: "X-Traffic-Verify", value: "yes" },
    pollInterval: "0.2",
    // 10 wall seconds are 2,000 simulated ones: every healthy rollout here is steady within 300; the failed canary waits all of it.
    waitTimeoutSeconds: 10,
  };
  const results = new Map<PathName, PathResult>();
  try {
    await runWorld(settings, kind, prefix, () => true, (result) => results.set(result.name, result));
  } finally {
    await close();
  }
  return results;
}

/** The path's figures and timeline, for an assertion's message: what went wrong, when, and what the listener did. */
export function explain(result: PathResult | undefined): string {
  if (!result) return "the path did not run";
  return [...summarise(result, "X-Traffic-Verify"), ...timeline(result)].join("\n");
}
