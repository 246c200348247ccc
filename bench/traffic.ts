/**
 * Dropped requests during deployments (issue 16): a bounded load of real HTTP requests against an environment's
 * simulated ALB listener, for the whole of each deployment path (bench/traffic/paths.ts), counted by outcome and
 * by the revision that served them. Every deployment is made by the built CLI (bin/slipway.js) in a child
 * process, as a person would run it, against an in-process simulator whose target groups keep AWS's defaults:
 * health checks every 30 s, healthy after 5, unhealthy after 2, deregistration delay 300 s — all scaled by the
 * simulator's speed.
 *
 * Requests take TRAFFIC_BENCH_REQUEST_SECONDS (default 0.5 simulated seconds), so one in flight on a target that
 * finishes draining or a task that stops is cut (a 502); listener weights reach the load balancer's nodes
 * TRAFFIC_BENCH_WEIGHT_PROPAGATION_SECONDS (default 5 simulated seconds) after the API call, as users of real ALBs
 * report (AWS documents no figure); 0 and 0 give the simulator's instant defaults.
 *
 * Two loops run for each path, one without and one with the verification header, each paced to RATE requests per
 * second over CONCURRENCY keep-alive connections; they start before the path's first command and stop after its
 * last one ends (plus a short tail), and stop by themselves after MAX seconds whatever happens.
 *
 * Run from the repository root: npm run bench:traffic (it builds the CLI and the bench first).
 * Options (environment): TRAFFIC_BENCH_SPEED (default 100), TRAFFIC_BENCH_RATE (per loop, 200),
 * TRAFFIC_BENCH_CONCURRENCY (per loop, 8), TRAFFIC_BENCH_MAX_SECONDS (per path, 180), TRAFFIC_BENCH_SEED (7),
 * TRAFFIC_BENCH_PATHS (comma-separated names to run, default all), TRAFFIC_BENCH_WAIT_TIMEOUT (the service step's
 * waitTimeoutSeconds, 20: how long the failed canary waits), TRAFFIC_BENCH_SETTLE (the step's trafficSettleSeconds;
 * default slipway's), TRAFFIC_BENCH_TIMELINE=1 (print, per path, the listener's rules, weights and target health as
 * they changed, with the CLI's lines), TRAFFIC_BENCH_JSON (a file for every sample and observation).
 */
import { writeFileSync } from "node:fs";
import { failed } from "./traffic/load.js";
import { runWorld, type PathName, type PathResult, type TrafficSettings } from "./traffic/paths.js";
import { startTrafficSimulator } from "./traffic/simulator.js";
import { summarise, timeline } from "./traffic/summary.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const speed = Number(process.env.TRAFFIC_BENCH_SPEED ?? 100);
const seed = Number(process.env.TRAFFIC_BENCH_SEED ?? 7);
const onlyPaths = process.env.TRAFFIC_BENCH_PATHS?.split(",").map((p) => p.trim()).filter(Boolean);
const jsonFile = process.env.TRAFFIC_BENCH_JSON;
const settle = process.env.TRAFFIC_BENCH_SETTLE;
const requestSeconds = Number(process.env.TRAFFIC_BENCH_REQUEST_SECONDS ?? 0.5);
const weightPropagationSeconds = Number(process.env.TRAFFIC_BENCH_WEIGHT_PROPAGATION_SECONDS ?? 5);

async function main(): Promise<void> {
  const { close, ...simulator } = await startTrafficSimulator({ speed, seed, requestSeconds, weightPropagationSeconds });
  const settings: TrafficSettings = {
    ...simulator,
    rate: Number(process.env.TRAFFIC_BENCH_RATE ?? 200),
    concurrency: Number(process.env.TRAFFIC_BENCH_CONCURRENCY ?? 8),
    maxSeconds: Number(process.env.TRAFFIC_BENCH_MAX_SECONDS ?? 180),
    verifyHeader: { name: "X-Bench-Verify", value: "yes" },
    // The CLI's first status poll after this many wall seconds, backing off to 3× (at 100× speed: 20–60 simulated s).
    pollInterval: "0.2",
    // Wall seconds: 20 at 100× is over half an hour simulated, far beyond any healthy rollout here (under 5
    // simulated minutes); the failed canary waits all of it.
    waitTimeoutSeconds: Number(process.env.TRAFFIC_BENCH_WAIT_TIMEOUT ?? 20),
    ...(settle !== undefined && { trafficSettleSeconds: Number(settle) }),
  };
  const results: PathResult[] = [];
  const wanted = (name: PathName) => !onlyPaths || onlyPaths.includes(name);
  console.log(
    `load on the simulated ALB during each deployment path: simulator at ${speed}× (seed ${seed}); target groups at AWS's defaults (health checks 30 s × 5 healthy / × 2 unhealthy, deregistration delay 300 s: ${(150 / speed).toFixed(1)} s and ${(300 / speed).toFixed(1)} s here); requests take ${requestSeconds} s, weights reach the nodes after ${weightPropagationSeconds} s (simulated); ${settings.rate} req/s × 2 loops (without and with ${settings.verifyHeader.name}), ${settings.concurrency} keep-alive connections each`,
  );
  const show = (result: PathResult) => {
    results.push(result);
    for (const line of summarise(result, settings.verifyHeader.name)) console.log(line);
    if (process.env.TRAFFIC_BENCH_TIMELINE) for (const line of timeline(result)) console.log(line);
  };
  try {
    await runWorld(settings, "rolling", "tr", wanted, show);
    await runWorld(settings, "canary", "tc", wanted, show);
    await runWorld(settings, "canary-aborts", "ta", wanted, show);
    await runWorld(settings, "blue-green", "tb", wanted, show);
  } finally {
    await close();
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 1));
  const deployments = results.filter((r) => !r.name.startsWith("control-"));
  const total = deployments.reduce((n, r) => n + r.samples.filter(failed).length, 0);
  console.log(`\n${deployments.length} deployment paths, ${deployments.reduce((n, r) => n + r.samples.length, 0)} requests, ${total} failed (the control path is not counted)`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
