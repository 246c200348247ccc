/**
 * Benchmark of the service step's ecs-* modes (issue 18): AWS calls per deployment, by operation, for ECS's own
 * blue/green, linear and canary — the second deployment of a service (the first creates it), with a test listener
 * rule for the verification header and one approval after the test traffic shift, approved at once — against an
 * in-process simulator. The simulator runs at SPEED simulated seconds per wall second and slipway polls at its
 * default pacing (5 s backing off to 15 s) scaled by the same factor, so the run looks to ECS like real time.
 *
 * Run from the repository root: npm run bench:native (NATIVE_BENCH_SPEED, default 60).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients, type AwsClients } from "../src/aws/clients.js";
import type { CallCounts } from "../src/sim/call-ledger.js";
import { listen } from "../src/sim/server.js";
import { Simulator } from "../src/sim/simulator.js";
import { FileApprovals } from "../src/storage/file-approvals.js";
import { FileJournal } from "../src/storage/file-journal.js";
import type { RawServiceStep } from "../steps/service/input.js";
import { defaultPacing } from "../steps/service/mode-environment.js";
import { deployNative } from "../steps/service/native/deploy.js";
import type { Target } from "../targets/target.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const speed = Number(process.env.NATIVE_BENCH_SPEED ?? 60);
const region = "us-east-1";

const strategies: { mode: "ecs-blue-green" | "ecs-linear" | "ecs-canary"; deployment: RawServiceStep["deployment"] }[] = [
  { mode: "ecs-blue-green", deployment: { bakeTimeInMinutes: 5 } },
  { mode: "ecs-linear", deployment: { bakeTimeInMinutes: 5, linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 1 } } },
  { mode: "ecs-canary", deployment: { bakeTimeInMinutes: 5, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 } } },
];

async function world(clients: AwsClients, name: string): Promise<{ target: Target; v1: string; v2: string }> {
  await clients.ecs.send(new CreateClusterCommand({ clusterName: name }));
  const register = async (tag: string) =>
    (
      await clients.ecs.send(
        new RegisterTaskDefinitionCommand({ family: name, networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: [{ name: "web", image: `shop/web:${tag}`, essential: true, portMappings: [{ containerPort: 8080 }] }] }),
      )
    ).taskDefinition?.taskDefinitionArn ?? "";
  const v1 = await register("1.0.0");
  const v2 = await register("2.0.0");
  const lb = (await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: ["subnet-a", "subnet-b"], SecurityGroups: ["sg-1"] }))).LoadBalancers?.[0]?.LoadBalancerArn ?? "";
  const group = async (suffix: string) => {
    const arn = (await clients.elbv2.send(new CreateTargetGroupCommand({ Name: `${name}-${suffix}`, Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", TargetType: "ip" }))).TargetGroups?.[0]?.TargetGroupArn ?? "";
    await clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }] }));
    return arn;
  };
  const [blue, green] = [await group("blue"), await group("green")];
  const listener = (await clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }] }))).Listeners?.[0]?.ListenerArn ?? "";
  await clients.elbv2.send(
    new CreateRuleCommand({ ListenerArn: listener, Priority: 10, Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/*"] } }], Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 100 }, { TargetGroupArn: green, Weight: 0 }] } }] }),
  );
  return { target: { environment: "prod", region, cluster: name, loadBalancer: { listener: { arn: listener }, targetGroups: { primary: blue, canary: green } } }, v1, v2 };
}

function step(name: string, strategy: (typeof strategies)[number], taskDefinition: string, approvals: boolean): { file: string; raw: RawServiceStep } {
  return {
    file: `${name}.service.yaml`,
    raw: {
      service: name,
      mode: strategy.mode,
      taskDefinition,
      desiredCount: 4,
      launchType: "FARGATE",
      network: { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"] },
      loadBalancer: { containerName: "web", containerPort: 8080 },
      deployment: strategy.deployment,
      verification: { header: { name: "X-Verify", values: ["green"] } },
      ...(approvals && { approvals: [{ at: "POST_TEST_TRAFFIC_SHIFT" }] }),
      waitTimeoutSeconds: 900,
    },
  };
}

async function calls(endpoint: string): Promise<CallCounts> {
  return (await (await fetch(`${endpoint}/_sim/calls?region=${region}`)).json()) as CallCounts;
}

async function main(): Promise<void> {
  const sim = new Simulator({ throttling: false, speed });
  const running = await listen(sim, 0);
  const clients = createAwsClients({ region, endpoint: running.url, maxAttempts: 3 });
  const pacing = { minDelaySeconds: defaultPacing.minDelaySeconds / speed, maxDelaySeconds: defaultPacing.maxDelaySeconds / speed };
  console.log(`native strategies at ${speed}× (polls ${defaultPacing.minDelaySeconds}–${defaultPacing.maxDelaySeconds} s of AWS time), second deployment of a 4-task service with a test rule and one approval:`);
  try {
    for (const strategy of strategies) {
      const name = strategy.mode.replace("ecs-", "");
      const { target, v1, v2 } = await world(clients, name);
      const approvals = new FileApprovals(mkdtempSync(join(tmpdir(), "native-bench-approvals-")));
      const context = (id: string) => ({ target, deploymentId: id, journal: new FileJournal(mkdtempSync(join(tmpdir(), "native-bench-journal-"))), clients });
      await deployNative(step(name, strategy, v1, false), context(`${name}-1`), { pacing, approvals });
      await fetch(`${running.url}/_sim/calls?region=${region}`, { method: "DELETE" });
      const decider = setInterval(() => void approvals.list({ open: true }).then((gates) => Promise.all(gates.map((g) => approvals.decide({ deploymentId: g.deploymentId, stage: g.stage, verdict: "approved", by: "bench" }).catch(() => undefined)))), 50);
      const started = sim.clock.nowMs();
      const wall = performance.now();
      try {
        await deployNative(step(name, strategy, v2, true), context(`${name}-2`), { pacing, approvals, approvalPollMs: 50 });
      } finally {
        clearInterval(decider);
      }
      const counted = await calls(running.url);
      const byOperation = Object.entries(counted.byOperation).map(([op, outcomes]) => [op, Object.values(outcomes).reduce((a, b) => a + (b ?? 0), 0)] as const);
      const total = byOperation.reduce((n, [, c]) => n + c, 0);
      console.log(`\n${strategy.mode}: ${total} AWS calls, ECS took ${Math.round((sim.clock.nowMs() - started) / 1000)} s of AWS time (${((performance.now() - wall) / 1000).toFixed(1)} s wall)`);
      for (const [op, n] of byOperation.sort((a, b) => b[1] - a[1])) console.log(`  ${op.padEnd(40)} ${n}`);
    }
  } finally {
    clients.destroy();
    await running.close();
  }
}

await main();
