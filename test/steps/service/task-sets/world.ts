import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRuleCommand, DescribeRulesCommand, DescribeTagsCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Approvals } from "../../../../src/engine/approvals.js";
import type { Journal, JournalEntry, NewJournalEntry } from "../../../../src/engine/journal.js";
import { FileApprovals } from "../../../../src/storage/file-approvals.js";
import { FileJournal } from "../../../../src/storage/file-journal.js";
import { loadServiceStep, type LoadedServiceStep } from "../../../../steps/service/load.js";
import type { RawServiceStep } from "../../../../steps/service/input.js";
import type { TaskSetRunOptions } from "../../../../steps/service/task-sets/index.js";
import type { StepContext } from "../../../../steps/step.js";
import type { Target } from "../../../../targets/target.js";
import type { SimHarness } from "../../../support/sim.js";
import { describeService } from "../../../sim/ecs-fixtures.js";
import { createAlb, createListener, createTargetGroup, forwardTo } from "../../../sim/elbv2-world.js";
import { fastPolling, recorder } from "../world.js";

/**
 * The task-set scenarios' world in the simulator: an ALB whose listener default forwards to the service's primary
 * group and whose production rule (host shop.example.com) forwards primary 100 / canary 0 — two routes the weights
 * must both follow (seed 000) — plus another service's rule that must never change.
 */
export interface Shop {
  name: string;
  listenerArn: string;
  primary: string;
  canary: string;
  other: string;
  productionRuleArn: string;
  target: Target;
}

export const canaryFixture = "test/fixtures/steps/service/canary.service.yaml";
export const blueGreenFixture = "test/fixtures/steps/service/blue-green.service.yaml";
export const verifyHeader = { "X-Slipway-Verify": "tester-7f3a" };

async function quickGroup(h: SimHarness, name: string): Promise<string> {
  const arn = await createTargetGroup(h, name);
  // Deregistration shortened so deleted task sets drain in seconds of simulated time, not five minutes.
  await h.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }] }));
  return arn;
}

export async function shop(h: SimHarness, name: string, cluster = "shop-dev"): Promise<Shop> {
  const lb = await createAlb(h, `${name}-alb`);
  const [primary, canary, other] = await Promise.all([quickGroup(h, `${name}-blue`), quickGroup(h, `${name}-green`), quickGroup(h, `${name}-other`)]);
  const listenerArn = await createListener(h, lb, 80, forwardTo([primary, 1]));
  await h.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 5, Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["admin.example.com"] } }], Actions: forwardTo([other, 1]) }));
  const production = await h.clients.elbv2.send(
    new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } }], Actions: forwardTo([primary, 100], [canary, 0]) }),
  );
  const target: Target = { environment: "dev", region: h.region, cluster, endpoint: h.url, loadBalancer: { listener: { arn: listenerArn }, targetGroups: { primary, canary } } };
  return { name, listenerArn, primary, canary, other, productionRuleArn: production.Rules?.[0]?.RuleArn ?? "", target };
}

export function step(fixture: string, change: Partial<RawServiceStep> = {}): LoadedServiceStep {
  const loaded = loadServiceStep(fixture);
  return { ...loaded, raw: { ...loaded.raw, ...change } };
}

export function journal(): FileJournal {
  return new FileJournal(mkdtempSync(join(tmpdir(), "slipway-tasksets-journal-")));
}

export function approvalsDir(): FileApprovals {
  return new FileApprovals(mkdtempSync(join(tmpdir(), "slipway-tasksets-approvals-")));
}

export function context(h: SimHarness, s: Shop, overrides: Partial<StepContext> = {}): StepContext {
  return { target: s.target, deploymentId: `test-${Math.random().toString(36).slice(2, 10)}`, journal: journal(), clients: h.clients, ...overrides };
}

/** Approves every gate the moment it opens, from "another process": the same gate store, decided by name. */
export function autoApprove(approvals: Approvals, by = "tester"): void {
  const timer = setInterval(() => {
    void approvals.list({ open: true }).then((gates) => Promise.all(gates.map((g) => approvals.decide({ deploymentId: g.deploymentId, stage: g.stage, verdict: "approved", by }).catch(() => undefined))));
  }, 10);
  timer.unref();
}

export function runOptions(overrides: TaskSetRunOptions = {}): TaskSetRunOptions & { progress: ReturnType<typeof recorder> } {
  const approvals = overrides.approvals ?? approvalsDir();
  if (!overrides.approvals) autoApprove(approvals);
  return { pacing: fastPolling, progress: recorder(), approvals, approvalPollMs: 10, ...overrides } as TaskSetRunOptions & { progress: ReturnType<typeof recorder> };
}

interface Routed {
  targetGroups: { targetGroupArn: string; share: number; targets: { taskDefinitionArn?: string }[] }[];
}

/** Which revision serves a request, as shares ("shop-web:2" → 0.25), per the simulator's route control. */
export async function revisionShares(h: SimHarness, s: Shop, request: { headers?: Record<string, string>; host?: string } = {}): Promise<Record<string, number>> {
  const routed = (await h.control("POST", "elbv2/route", { listenerArn: s.listenerArn, host: request.host ?? "shop.example.com", ...(request.headers && { headers: request.headers }) })) as Routed;
  const shares: Record<string, number> = {};
  for (const group of routed.targetGroups) {
    if (group.share === 0) continue;
    if (group.targets.length === 0) {
      shares["(no healthy target)"] = (shares["(no healthy target)"] ?? 0) + group.share;
      continue;
    }
    for (const t of group.targets) {
      const label = t.taskDefinitionArn?.split("/").at(-1) ?? "(not a task)";
      shares[label] = (shares[label] ?? 0) + group.share / group.targets.length;
    }
  }
  return Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
}

/**
 * What must hold after a deployment ends, finished or rolled back: one task set, primary, steady, on the live target
 * group; all traffic (rule and default) there; no verification rule left. Returns the revision it serves.
 */
export async function settledState(h: SimHarness, s: Shop, service: string, cluster = "shop-dev"): Promise<{ revision: string; problems: string[] }> {
  const described = await describeService(h, cluster, service);
  const sets = described.taskSets ?? [];
  const problems: string[] = [];
  const only = sets[0];
  if (sets.length !== 1 || !only) problems.push(`${sets.length} task sets: ${sets.map((t) => `${t.status} ${t.taskDefinition?.split("/").at(-1)}`).join(", ")}`);
  if (only && only.status !== "PRIMARY") problems.push(`the task set is ${only.status}`);
  if (only && only.stabilityStatus !== "STEADY_STATE") problems.push(`the task set is ${only.stabilityStatus}`);
  const liveGroup = only?.loadBalancers?.[0]?.targetGroupArn;
  const rules = await h.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: s.listenerArn }));
  const tags = await h.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: (rules.Rules ?? []).filter((r) => !r.IsDefault).map((r) => r.RuleArn ?? "") }));
  if ((tags.TagDescriptions ?? []).some((d) => d.Tags?.some((t) => t.Key === "slipway:owner" && t.Value === "verification"))) problems.push("a verification rule is left");
  for (const rule of rules.Rules ?? []) {
    const groups = rule.Actions?.find((a) => a.Type === "forward")?.ForwardConfig?.TargetGroups ?? [];
    const ours = groups.filter((g) => g.TargetGroupArn === s.primary || g.TargetGroupArn === s.canary);
    const wrong = ours.filter((g) => (g.TargetGroupArn === liveGroup ? (g.Weight ?? 0) === 0 : (g.Weight ?? 0) > 0));
    if (wrong.length > 0) problems.push(`rule ${rule.Priority ?? "?"} sends traffic off the live group: ${JSON.stringify(ours)}`);
  }
  const plain = await revisionShares(h, s);
  const revision = only?.taskDefinition?.split("/").at(-1) ?? "(none)";
  if (plain[revision] !== 1) problems.push(`plain requests are served ${JSON.stringify(plain)}, not all by ${revision}`);
  return { revision, problems };
}

/** A journal that lets a test look at the world each time a stage is recorded done: `onStageDone("stage 3 traffic canary 10%")`. */
export class WatchedJournal implements Journal {
  constructor(
    private readonly inner: Journal,
    private readonly onStageDone: (stage: string) => Promise<void>,
  ) {}
  async append(entry: NewJournalEntry): Promise<JournalEntry> {
    const written = await this.inner.append(entry);
    const done = /^(stage \d+ .+): done$/.exec(entry.actionKey);
    if (done?.[1] && entry.phase === "succeeded") await this.onStageDone(done[1]);
    return written;
  }
  entries(deploymentId: string): Promise<JournalEntry[]> {
    return this.inner.entries(deploymentId);
  }
}

/** Dies on its Nth append, as a killed process would: what was written before stays, nothing after — no AWS write either. */
export class KilledJournal implements Journal {
  appended = 0;
  constructor(
    private readonly inner: Journal,
    private readonly dieOn: number,
  ) {}
  async append(entry: NewJournalEntry): Promise<JournalEntry> {
    this.appended += 1;
    if (this.appended >= this.dieOn) throw new ProcessKilled();
    return this.inner.append(entry);
  }
  entries(deploymentId: string): Promise<JournalEntry[]> {
    return this.inner.entries(deploymentId);
  }
}

export class ProcessKilled extends Error {
  override readonly name = "ProcessKilled";
  constructor() {
    super("process killed");
  }
}
