/**
 * Benchmark of the task-set modes (issue 5): AWS calls per canary and per blue/green deployment, by operation, and
 * the tool's own time beyond its waits (ECS stabilising, the configured pauses, the approval gate), against an
 * in-process simulator at high speed. Each strategy deploys shop-web:1 (the service's first deployment), then
 * shop-web:2 through its stages; the second deployment is measured.
 *
 * Run from the repository root: npm run bench:canary (the lead wires it: tsc -p tsconfig.bench.json, then
 * node dist/bench/canary.js). Options (environment): CANARY_BENCH_SPEED (default 200), CANARY_BENCH_RUNS (3).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Simulator } from "../src/sim/simulator.js";
import { listen } from "../src/sim/server.js";
import type { CallCounts } from "../src/sim/call-ledger.js";
import { createAwsClients, type AwsClients } from "../src/aws/clients.js";
import type { Approvals } from "../src/engine/approvals.js";
import { FileApprovals } from "../src/storage/file-approvals.js";
import { FileJournal } from "../src/storage/file-journal.js";
import { deployService } from "../steps/service/index.js";
import { loadServiceStep } from "../steps/service/load.js";
import type { RawStage } from "../steps/service/task-sets/stages.js";
import type { Target } from "../targets/target.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const speed = Number(process.env.CANARY_BENCH_SPEED ?? 200);
const runs = Number(process.env.CANARY_BENCH_RUNS ?? 3);
const region = "us-east-1";
const pacing = { minDelaySeconds: 0.02, maxDelaySeconds: 0.1 };

const stagesOf: Record<"canary" | "blue-green", RawStage[]> = {
  canary: [
    { canaryRollout: { scale: 50 } },
    { verify: { header: { name: "X-Slipway-Verify", values: ["bench"] } } },
    { trafficRouting: { canary: 10 } },
    { pause: { seconds: 0.1 } },
    { trafficRouting: { canary: 50 } },
    { approval: {} },
    { primaryRollout: {} },
    { trafficRouting: { primary: 100 } },
    { canaryClean: {} },
  ],
  "blue-green": [{ greenRollout: {} }, { verify: { header: { name: "X-Slipway-Verify", values: ["bench"] } } }, { approval: {} }, { trafficRouting: { green: 100 } }, { pause: { seconds: 0.1 } }, { clean: {} }],
};

async function world(clients: AwsClients, url: string, name: string): Promise<Target> {
  const lb = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-alb`, Subnets: ["subnet-a", "subnet-b"] }));
  const group = async (suffix: string) => {
    const tg = await clients.elbv2.send(new CreateTargetGroupCommand({ Name: `${name}-${suffix}`, Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", TargetType: "ip", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 }));
    const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }] }));
    return arn;
  };
  const primary = await group("blue");
  const canary = await group("green");
  const listener = await clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "", Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: primary, Weight: 1 }] } }] }));
  const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? "";
  await clients.elbv2.send(
    new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } }], Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: primary, Weight: 100 }, { TargetGroupArn: canary, Weight: 0 }] } }] }),
  );
  return { environment: "bench", region, cluster: "bench", endpoint: url, loadBalancer: { listener: { arn: listenerArn }, targetGroups: { primary, canary } } };
}

function autoApprove(approvals: Approvals): NodeJS.Timeout {
  return setInterval(() => {
    void approvals.list({ open: true }).then((gates) => Promise.all(gates.map((g) => approvals.decide({ deploymentId: g.deploymentId, stage: g.stage, verdict: "approved", by: "bench" }).catch(() => undefined))));
  }, 5);
}

async function main(): Promise<void> {
  const sim = new Simulator({ throttling: false });
  sim.clock.setSpeed(speed);
  const server = await listen(sim, 0);
  const clients = createAwsClients({ region, endpoint: server.url });
  await clients.ecs.send(new CreateClusterCommand({ clusterName: "bench" }));
  for (const version of ["1.0.0", "2.0.0"]) {
    await clients.ecs.send(
      new RegisterTaskDefinitionCommand({ family: "shop-web", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "web", image: `shop/web:${version}`, portMappings: [{ containerPort: 8080 }] }] }),
    );
  }
  const base = loadServiceStep("test/fixtures/steps/service/canary.service.yaml");
  console.log(`task-set deployments against the in-process simulator at ${speed}× (desiredCount 2, polling ${pacing.minDelaySeconds}–${pacing.maxDelaySeconds} s)`);
  for (const strategy of ["canary", "blue-green"] as const) {
    const totals: { calls: Record<string, number>; wall: number[]; own: number[]; waited: number[] } = { calls: {}, wall: [], own: [], waited: [] };
    for (let run = 0; run < runs; run++) {
      const name = `${strategy === "canary" ? "c" : "b"}${run}`;
      const target = await world(clients, server.url, name);
      const approvals = new FileApprovals(mkdtempSync(join(tmpdir(), "slipway-bench-approvals-")));
      const approver = autoApprove(approvals);
      const loaded = { ...base, raw: { ...base.raw, service: name, mode: strategy, stages: stagesOf[strategy] } };
      const ctx = (id: string) => ({ target, deploymentId: id, journal: new FileJournal(mkdtempSync(join(tmpdir(), "slipway-bench-journal-"))), clients });
      await deployService(loaded, ctx(`${name}-1`), { override: "shop-web:1", pacing, approvals, approvalPollMs: 5 } as never);
      sim.calls.reset();
      const timing = { waitedMs: 0 };
      const started = performance.now();
      await deployService(loaded, ctx(`${name}-2`), { override: "shop-web:2", pacing, approvals, approvalPollMs: 5, timing } as never);
      const wall = performance.now() - started;
      clearInterval(approver);
      const counts = sim.calls.snapshot() as CallCounts;
      for (const [operation, outcomes] of Object.entries(counts.byOperation)) {
        totals.calls[operation] = (totals.calls[operation] ?? 0) + Object.values(outcomes).reduce((a, b) => a + (b ?? 0), 0);
      }
      totals.wall.push(wall);
      totals.waited.push(timing.waitedMs);
      totals.own.push(wall - timing.waitedMs);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const perDeploy = Object.entries(totals.calls)
      .map(([op, n]) => [op, n / runs] as const)
      .sort((a, b) => b[1] - a[1]);
    const all = perDeploy.reduce((a, [, n]) => a + n, 0);
    console.log(`\n${strategy}: ${stagesOf[strategy].map((s) => Object.keys(s)[0]).join(" → ")}`);
    console.log(`  AWS calls per deployment: ${all.toFixed(1)} (mean of ${runs})`);
    for (const [op, n] of perDeploy) console.log(`    ${op.padEnd(34)} ${n.toFixed(1)}`);
    console.log(`  wall ${mean(totals.wall).toFixed(0)} ms = waiting ${mean(totals.waited).toFixed(0)} ms (ECS stabilising at ${speed}×, pauses, the gate) + slipway's own ${mean(totals.own).toFixed(0)} ms (max ${Math.max(...totals.own).toFixed(0)} ms)`);
  }
  clients.destroy();
  await server.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
