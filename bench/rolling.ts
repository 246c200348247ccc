/**
 * Benchmark of the service step's rolling mode (issue 4): AWS calls per rolling deploy, by operation, and the
 * tool's own time beyond waiting for ECS — for one service, then for 50 services deployed at once — against an
 * in-process simulator with ECS-like throttling on. The goal: no deploy fails for throttling, and the 50 take
 * at most 1.5× what the throttle limits allow for the calls they made (computed from src/sim/throttle-quotas.ts).
 *
 * The simulator runs at SPEED simulated seconds per wall second, and the deploys poll at slipway's default
 * pacing (5 s, backing off to 15 s) scaled by the same factor, so the run looks to ECS like real time.
 *
 * Run from the repository root:
 *   npx tsc --module NodeNext --moduleResolution NodeNext --target ES2022 --lib ES2023 --types node --strict \
 *     --skipLibCheck --esModuleInterop --resolveJsonModule --verbatimModuleSyntax --rootDir . --outDir dist \
 *     bench/rolling.ts && node dist/bench/rolling.js
 * Options (environment): ROLLING_BENCH_SPEED (default 60), ROLLING_BENCH_SERVICES (50), ROLLING_BENCH_RETRY=standard
 * (the SDK's standard retry mode instead of slipway's default adaptive one, to compare).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateClusterCommand, DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { Simulator } from "../src/sim/simulator.js";
import { listen } from "../src/sim/server.js";
import type { CallCounts } from "../src/sim/call-ledger.js";
import { classifyForThrottling } from "../src/sim/throttle-quotas.js";
import { createAwsClients, type AwsClients } from "../src/aws/clients.js";
import { FileJournal } from "../src/storage/file-journal.js";
import { deployService } from "../steps/service/index.js";
import { defaultPacing } from "../steps/service/mode-environment.js";
import { loadServiceStep } from "../steps/service/load.js";
import { createServicePorts } from "../steps/service/ports.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const speed = Number(process.env.ROLLING_BENCH_SPEED ?? 60);
const serviceCount = Number(process.env.ROLLING_BENCH_SERVICES ?? 50);
const region = "us-east-1";
const cluster = "bench";

interface PhaseResult {
  title: string;
  wallSeconds: number;
  failures: string[];
  calls: CallCounts;
  /** The longest an ECS deployment of the phase ran, in wall-clock seconds (simulated seconds / speed). */
  ecsSeconds: number;
}

/** The least wall time the calls made could take under the token buckets, all full at the start: max over buckets of (n − burst) / rate. */
function throttleBound(calls: CallCounts): { seconds: number; lines: string[] } {
  const perBucket = new Map<string, { n: number; capacity: number; refill: number }>();
  for (const [key, outcomes] of Object.entries(calls.byOperation)) {
    const [service, operation] = key.split(":") as [string, string];
    const cls = classifyForThrottling(service, operation);
    if (!cls) continue;
    // Throttled answers take no token; every other answer took one.
    const n = Object.entries(outcomes).reduce((sum, [outcome, count]) => sum + (outcome === "throttled" ? 0 : (count ?? 0)), 0);
    const bucket = perBucket.get(`${service}:${cls.bucket}`) ?? { n: 0, capacity: cls.spec.capacity, refill: cls.spec.refillPerSecond };
    bucket.n += n;
    perBucket.set(`${service}:${cls.bucket}`, bucket);
  }
  let seconds = 0;
  const lines: string[] = [];
  for (const [name, b] of [...perBucket].sort(([a], [c]) => a.localeCompare(c))) {
    const t = Math.max(0, (b.n - b.capacity) / b.refill);
    seconds = Math.max(seconds, t);
    lines.push(`    ${name.padEnd(22)} ${String(b.n).padStart(5)} calls, burst ${b.capacity}, ${b.refill}/s → ≥ ${t.toFixed(2)} s`);
  }
  return { seconds, lines };
}

function printCalls(calls: CallCounts, deploys: number): void {
  for (const [operation, outcomes] of Object.entries(calls.byOperation).sort(([a], [b]) => a.localeCompare(b))) {
    const ok = (outcomes.ok ?? 0) + (outcomes.error ?? 0);
    const throttled = outcomes.throttled ?? 0;
    console.log(`    ${operation.padEnd(32)} ${String(ok).padStart(5)} answered (${(ok / deploys).toFixed(1)} per deploy)${throttled ? `, ${throttled} throttled` : ""}`);
  }
}

/** How long each service's latest ECS deployment ran, read back through the SDK after the phase. */
async function longestEcsDeployment(clients: AwsClients, services: string[]): Promise<number> {
  let longest = 0;
  for (const service of services) {
    const list = await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: 1 }));
    const arn = list.serviceDeployments?.[0]?.serviceDeploymentArn;
    if (!arn) continue;
    const [d] = (await clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments ?? [];
    const end = d?.finishedAt ?? d?.updatedAt;
    if (d?.startedAt && end) longest = Math.max(longest, (end.getTime() - d.startedAt.getTime()) / 1000 / speed);
  }
  return longest;
}

async function main(): Promise<void> {
  const sim = new Simulator({ speed, throttling: false });
  const running = await listen(sim, 0);
  const clients = createAwsClients({ region, endpoint: running.url, ...(process.env.ROLLING_BENCH_RETRY === "standard" && { retryMode: "standard" as const }) });
  const ports = createServicePorts(clients);
  const journal = new FileJournal(mkdtempSync(join(tmpdir(), "slipway-bench-")));
  const base = loadServiceStep("test/fixtures/steps/service/web.service.yaml");
  const pacing = { minDelaySeconds: defaultPacing.minDelaySeconds / speed, maxDelaySeconds: defaultPacing.maxDelaySeconds / speed };
  const target = { environment: "dev", region, cluster, endpoint: running.url };
  let runs = 0;

  const deployAll = async (services: string[], revision: string): Promise<string[]> => {
    const failures: string[] = [];
    await Promise.all(
      services.map((service) =>
        deployService({ ...base, raw: { ...base.raw, service, waitTimeoutSeconds: 600 / speed + 30 } }, { target, deploymentId: `bench-${++runs}`, journal, clients }, { ports, pacing, override: revision }).catch((error: unknown) => {
          failures.push(`${service}: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
    );
    return failures;
  };

  /** One measured phase: buckets full, calls counted from zero, wall time from the first call to the last steady service. */
  const phase = async (title: string, services: string[], revision: string): Promise<PhaseResult> => {
    sim.throttler.enabled = true;
    sim.throttler.reset();
    sim.calls.reset();
    const started = performance.now();
    const failures = await deployAll(services, revision);
    const wallSeconds = (performance.now() - started) / 1000;
    const calls = sim.calls.snapshot();
    sim.throttler.enabled = false;
    return { title, wallSeconds, failures, calls, ecsSeconds: await longestEcsDeployment(clients, services) };
  };

  try {
    await clients.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    for (const image of ["shop/web:1.0.0", "shop/web:1.1.0"]) {
      await clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "shop-web",
          networkMode: "awsvpc",
          requiresCompatibilities: ["FARGATE"],
          cpu: "256",
          memory: "512",
          containerDefinitions: [{ name: "web", image, essential: true, portMappings: [{ containerPort: 8080 }] }],
        }),
      );
    }
    const many = Array.from({ length: serviceCount }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
    // Every service exists and is steady on revision 1 first (not measured), so each measured deploy is a rolling update.
    const created = await deployAll(["one", ...many], "shop-web:1");
    if (created.length > 0) throw new Error(`setup failed: ${created.join("; ")}`);
    await new Promise((r) => setTimeout(r, 200));

    console.log(`rolling deploy benchmark: simulator at ${speed}× speed, ECS-like throttling on, polls every ${pacing.minDelaySeconds.toFixed(3)}–${pacing.maxDelaySeconds.toFixed(3)} s wall (5–15 s simulated)`);
    for (const [title, services] of [["1 service", ["one"]], [`${serviceCount} services at once`, many]] as const) {
      const result = await phase(title, [...services], "shop-web:2");
      const bound = throttleBound(result.calls);
      const allowed = Math.max(bound.seconds, result.ecsSeconds);
      console.log(`\n${result.title}: ${result.failures.length === 0 ? "every deploy SUCCESSFUL" : `${result.failures.length} FAILED`}`);
      for (const failure of result.failures.slice(0, 5)) console.log(`    ${failure}`);
      console.log(`  AWS calls (${result.calls.total} answers in all):`);
      printCalls(result.calls, services.length);
      console.log(`  throttle bound for these calls (buckets full at the start):`);
      for (const line of bound.lines) console.log(line);
      console.log(`  wall time                          ${result.wallSeconds.toFixed(2)} s`);
      console.log(`  longest ECS deployment             ${result.ecsSeconds.toFixed(2)} s (${(result.ecsSeconds * speed).toFixed(0)} s simulated)`);
      console.log(`  throttle limits allow at best      ${bound.seconds.toFixed(2)} s`);
      console.log(`  tool's own time beyond ECS         ${(result.wallSeconds - result.ecsSeconds).toFixed(2)} s`);
      console.log(`  wall / max(ECS, throttle bound)    ${(result.wallSeconds / allowed).toFixed(2)}× (goal ≤ 1.5×)`);
    }
  } finally {
    clients.destroy();
    await running.close();
  }
}

await main();
