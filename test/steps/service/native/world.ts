import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRuleCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Approvals, Gate } from "../../../../src/engine/approvals.js";
import { FileApprovals } from "../../../../src/storage/file-approvals.js";
import { FileDeploymentRecords } from "../../../../src/storage/file-deployment-records.js";
import { FileJournal } from "../../../../src/storage/file-journal.js";
import type { RawServiceStep } from "../../../../steps/service/input.js";
import { loadServiceStep, type LoadedServiceStep } from "../../../../steps/service/load.js";
import type { NativeRunOptions } from "../../../../steps/service/native/deploy.js";
import { pauseStages, type RawNativeApproval } from "../../../../steps/service/native/settings.js";
import type { StepContext } from "../../../../steps/step.js";
import type { Target } from "../../../../targets/target.js";
import { startSim, type SimHarness } from "../../../support/sim.js";
import { createCluster, registerWeb } from "../../../sim/ecs-fixtures.js";
import { createAlb, createListener, createTargetGroup, forwardTo } from "../../../sim/elbv2-world.js";
import { fastPolling, recorder } from "../world.js";

/**
 * A world for slipway driving ECS's own blue/green, linear and canary: the simulator at 200×, an ALB whose listener
 * answers 404 by default and whose production rule (every path) forwards blue 100 / green 0, and shop-web:1 and :2.
 * What testers send to reach the new revision first is the header below; the traffic oracle tells each request's
 * shares.
 */
export const verifyHeader = { name: "X-Slipway-Verify", value: "green" };

/** One service's load balancer in a simulator: an ALB, its listener, the two groups and the production rule. */
export interface NativeLane {
  h: SimHarness;
  listenerArn: string;
  blue: string;
  green: string;
  productionRuleArn: string;
  target: Target;
}

export interface NativeShop extends NativeLane {
  v1: string;
  v2: string;
  close(): Promise<void>;
}

async function quickGroup(h: SimHarness, name: string): Promise<string> {
  const arn = await createTargetGroup(h, name);
  await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }] }));
  return arn;
}

/**
 * The listener, groups and production rule for one service named `name` ("shop": shop-alb, shop-blue, shop-green), in
 * a simulator that already has the cluster: scenarios running side by side in one simulator each take their own.
 */
export async function nativeLane(h: SimHarness, name: string, cluster = "shop-dev"): Promise<NativeLane> {
  const lb = await createAlb(h, `${name}-alb`);
  const [blue, green] = await Promise.all([quickGroup(h, `${name}-blue`), quickGroup(h, `${name}-green`)]);
  const listenerArn = await createListener(h, lb, 80, [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }]);
  const rule = await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/*"] } }], Actions: forwardTo([blue, 100], [green, 0]) }));
  const target: Target = { environment: "dev", region: h.region, cluster, endpoint: h.url, loadBalancer: { listener: { arn: listenerArn }, targetGroups: { primary: blue, canary: green } } };
  return { h, listenerArn, blue, green, productionRuleArn: rule.Rules?.[0]?.RuleArn ?? "", target };
}

export async function nativeShop(): Promise<NativeShop> {
  const h = await startSim({ speed: 200 });
  await createCluster(h, "shop-dev");
  const v1 = await registerWeb(h, "shop-web", "shop/web:1.0.0");
  const v2 = await registerWeb(h, "shop-web", "shop/web:2.0.0");
  return { ...(await nativeLane(h, "shop")), v1, v2, close: () => h.close() };
}

/** An approval at every stage ECS can pause at, each ECS waiting `timeoutMinutes` (simulated) before rolling back. */
export function approvalsAtEveryPause(timeoutMinutes: number): RawNativeApproval[] {
  return pauseStages.map((at) => ({ at, timeoutMinutes }));
}

/** The three strategies as the tests deploy them, no bake, and green's production share at each PRE_PRODUCTION_TRAFFIC_SHIFT pause. */
export const strategies = [
  { mode: "ecs-blue-green" as const, strategy: "BLUE_GREEN", deployment: { bakeTimeInMinutes: 0 }, production: [0] },
  { mode: "ecs-linear" as const, strategy: "LINEAR", deployment: { bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 } }, production: [0, 25, 50, 75] },
  { mode: "ecs-canary" as const, strategy: "CANARY", deployment: { bakeTimeInMinutes: 0, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 } }, production: [0, 10] },
];
export type Strategy = (typeof strategies)[number];

/** The gates a deployment with approvals at every pause opens, in order: one per pause, PRE_PRODUCTION_TRAFFIC_SHIFT once per production step. */
export function pausePoints(strategy: Strategy): string[] {
  return ["PRE_SCALE_UP", "POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT", ...strategy.production.map((p) => `PRE_PRODUCTION_TRAFFIC_SHIFT at ${p}%`), "POST_PRODUCTION_TRAFFIC_SHIFT"];
}

/** The shop-web step in an ecs-* mode, with the header verification and no bake (so a test is not kept waiting). */
export function nativeStep(change: Partial<RawServiceStep>): LoadedServiceStep {
  const loaded = loadServiceStep("test/fixtures/steps/service/web.service.yaml");
  const { deployment: _rolling, ...raw } = loaded.raw;
  return { ...loaded, raw: { ...raw, loadBalancer: { containerName: "web", containerPort: 8080 }, deployment: { bakeTimeInMinutes: 0 }, verification: { header: { name: verifyHeader.name, values: [verifyHeader.value] } }, ...change } };
}

export function context(s: Pick<NativeLane, "target" | "h">, overrides: Partial<StepContext> = {}): StepContext {
  return { target: s.target, deploymentId: `test-${Math.random().toString(36).slice(2, 10)}`, journal: new FileJournal(mkdtempSync(join(tmpdir(), "slipway-native-journal-"))), clients: s.h.clients, ...overrides };
}

export function runOptions(approvals: Approvals, overrides: NativeRunOptions = {}): NativeRunOptions & { progress: ReturnType<typeof recorder>; records: FileDeploymentRecords } {
  return {
    pacing: fastPolling,
    progress: recorder(),
    records: new FileDeploymentRecords(join(mkdtempSync(join(tmpdir(), "slipway-native-records-")), "deployments.jsonl")),
    approvals,
    approvalPollMs: 10,
    ...overrides,
  } as NativeRunOptions & { progress: ReturnType<typeof recorder>; records: FileDeploymentRecords };
}

/** A gate store in a new directory, or (`dir`) another process's view of an existing one. */
export function approvalsStore(dir = mkdtempSync(join(tmpdir(), "slipway-native-approvals-"))): FileApprovals {
  return new FileApprovals(dir);
}

/** The new revision's share of a request now, as the load balancer would route it (with the verification header when `test`). */
export async function greenShare(s: NativeLane, green: string, test: boolean): Promise<number> {
  const plan = (await s.h.control("POST", "elbv2/route", { listenerArn: s.listenerArn, path: "/", ...(test && { headers: { [verifyHeader.name.toLowerCase()]: verifyHeader.value } }) })) as { targetGroups: { targetGroupArn: string; share: number }[] };
  return Math.round((plan.targetGroups.find((g) => g.targetGroupArn === green)?.share ?? 0) * 1000) / 10;
}

export interface GateSeen {
  stage: string;
  production: number;
  test: number;
}

/**
 * Decides each gate as it opens, from "another process" (the same store), after reading the traffic while ECS waits
 * there: `verdict` says approve or abort.
 */
export function decideGates(s: NativeLane, approvals: Approvals, green: () => string, verdict: (gate: Gate) => "approved" | "aborted"): { seen: GateSeen[]; stop(): void } {
  const seen: GateSeen[] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      for (const gate of await approvals.list({ open: true })) {
        seen.push({ stage: gate.stage, production: await greenShare(s, green(), false), test: await greenShare(s, green(), true) });
        await approvals.decide({ deploymentId: gate.deploymentId, stage: gate.stage, verdict: verdict(gate), by: "tester" }).catch(() => undefined);
      }
    })().finally(() => {
      busy = false;
    });
  }, 10);
  return { seen, stop: () => clearInterval(timer) };
}
