import { setTimeout as sleep } from "node:timers/promises";
import { describeDecision, type Approvals } from "../../../src/engine/approvals.js";
import { executePlan, type ExecutionContext } from "../../../src/engine/executor.js";
import { interruptedBy } from "../../../src/engine/interruption.js";
import { succeededResult } from "../../../src/engine/journal.js";
import type { Action } from "../../../src/engine/plan.js";
import { requestApproval } from "../../manual-intervention/gate.js";
import { runProbes } from "../../verification/probes.js";
import { closeVerification, openVerification, sweepLeakedVerificationRules } from "../../verification/verification.js";
import { describeRoute } from "../../verification/desired.js";
import type { DeploymentProgress } from "../progress.js";
import type { TaskSetAction } from "./actions.js";
import { applyAction, retryTransient } from "./apply.js";
import type { Driver } from "./driver.js";
import { stepOf, type DeploymentFacts } from "./facts.js";
import type { TaskSetPorts } from "./ports.js";
import { waitForWorld, type StabilityPacing } from "./wait.js";
import { lastWeightChange, settleLeftSeconds } from "./settle.js";
import { observeWorld, type World } from "./world.js";

export interface JournalledDriverContext {
  facts: DeploymentFacts;
  ports: TaskSetPorts;
  execution: ExecutionContext;
  progress: DeploymentProgress;
  pacing: StabilityPacing;
  approvals: Approvals;
  /** The step's traffic settle time: AWS seconds a set that lost traffic is kept after the weights moved. */
  settleSeconds: number;
  /** How often a waiting gate looks for a decision. Default 1000 ms. */
  approvalPollMs?: number;
  /** Told the wall-clock time spent waiting (for ECS, a pause, a person), so a benchmark can tell it from slipway's own. */
  timing?: WaitTiming;
  /** Aborted on Ctrl-C: pauses and gates stop waiting (Interrupted); the gate stays open for a resumed run. */
  signal?: AbortSignal;
}

export interface WaitTiming {
  waitedMs: number;
}

type Marker = Action<"marker", Record<string, never>>;

/** The real thing: journalled writes through the ports, waits with the SDK waiter, K's gate and verification rules. */
export class JournalledDriver implements Driver {
  private readonly step: string;

  constructor(private readonly ctx: JournalledDriverContext) {
    this.step = stepOf(ctx.facts.service);
  }

  async observe(): Promise<World> {
    const { facts, ports } = this.ctx;
    // A look between writes fails the stage only for a real failure, as a write does (apply.ts).
    const [service, actions] = await Promise.all([retryTransient(() => ports.services.describe(facts.cluster, facts.service)), retryTransient(() => ports.weights.actionsOf(facts.rules))]);
    return observeWorld(service, actions);
  }

  async execute(_at: string, actions: TaskSetAction[]): Promise<void> {
    if (actions.length === 0) return;
    const { facts, ports, execution, progress } = this.ctx;
    const executed = await executePlan({ step: this.step, actions, diff: [], notes: [] }, (action) => applyAction(action, facts, ports), execution);
    for (const e of executed) progress.note(`${e.resumed ? "already done" : "done"}: ${e.action.summary}`);
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      if (this.ctx.timing) this.ctx.timing.waitedMs += performance.now() - started;
    }
  }

  waitFor(what: string, done: (world: World) => boolean, broken?: (world: World) => string | undefined): Promise<{ reached: true } | { reached: false; reason: string }> {
    const { facts, ports, progress, pacing } = this.ctx;
    return this.timed(() => waitForWorld(what, facts, ports, progress, pacing, done, broken));
  }

  async pause(at: string, seconds: number): Promise<void> {
    const key = `${at}: pause started`;
    // Counted from the pause's first start, as the journal has it: a resumed run waits only what is left.
    let started = (await this.marked(key)).result as { at?: string } | undefined;
    if (!started?.at) {
      started = { at: new Date().toISOString() };
      await this.mark(key, `pause ${seconds} s`, started);
    }
    const left = Date.parse(started.at ?? "") + seconds * 1000 - Date.now();
    if (left > 0) {
      this.ctx.progress.note(`pausing ${(left / 1000).toFixed(left < 10_000 ? 2 : 0)} s (${at})`);
      const { signal } = this.ctx;
      await this.timed(() => sleep(left, undefined, signal ? { signal } : {})).catch((error: unknown) => {
        throw interruptedBy(signal, error);
      });
    }
  }

  async settle(at: string): Promise<void> {
    const { pacing, ports, settleSeconds, execution, progress } = this.ctx;
    const change = lastWeightChange(await execution.journal.entries(execution.deploymentId), this.step);
    const left = () => settleLeftSeconds(change, settleSeconds, { awsMs: ports.clock.now().getTime(), wallMs: Date.now() });
    if (left() <= 0) return;
    progress.note(`giving the load balancer ${settleSeconds} s to apply the new weights (${at})`);
    // AWS's clock is learned from its answers: look at the service between naps, so a simulator running fast is
    // seen to, and against AWS this is one or two reads.
    await this.timed(async () => {
      for (let wait = left(); wait > 0; wait = left()) {
        await sleep(Math.min(wait, pacing.minDelaySeconds) * 1000, undefined, this.ctx.signal ? { signal: this.ctx.signal } : {}).catch((error: unknown) => {
          throw interruptedBy(this.ctx.signal, error);
        });
        await this.observe();
      }
    });
  }

  async approve(at: string, stage: Parameters<Driver["approve"]>[1]): Promise<{ approved: boolean; reason: string }> {
    const key = `${at}: decided`;
    const recorded = await this.marked(key);
    if (recorded.found) return recorded.result as { approved: boolean; reason: string };
    const { facts, progress, approvals } = this.ctx;
    const decision = await this.timed(() => requestApproval(
      {
        approvals,
        deploymentId: facts.deploymentId,
        ...(stage.timeoutSeconds !== undefined && { timeoutSeconds: stage.timeoutSeconds }),
        ...(stage.approvers && { approvers: stage.approvers }),
        ...(stage.instructions !== undefined && { instructions: stage.instructions }),
        ...(this.ctx.approvalPollMs !== undefined && { pollIntervalMs: this.ctx.approvalPollMs }),
        ...(this.ctx.signal && { signal: this.ctx.signal }),
        onOpen: () => progress.note(`waiting for approval (${at}): run \`slipway approve ${facts.deploymentId}\` to go ahead, or \`slipway abort ${facts.deploymentId}\` to roll back`),
      },
      { stage: at, summary: stage.instructions ?? `${facts.service} in ${facts.environment}: go ahead with ${at}?` },
    )).catch((error: unknown) => {
      throw interruptedBy(this.ctx.signal, error);
    });
    const verdict = { approved: decision.outcome === "approved", reason: `${at} ${describeDecision(decision)}` };
    progress.note(verdict.reason);
    await this.mark(key, `decision: ${decision.outcome}`, verdict);
    return verdict;
  }

  private identity() {
    const { facts } = this.ctx;
    return { service: facts.service, environment: facts.environment, deploymentId: facts.deploymentId };
  }

  async verify(at: string, stage: Parameters<Driver["verify"]>[1]): Promise<{ passed: boolean; reason: string }> {
    const { facts, ports, execution, progress } = this.ctx;
    const opened = await openVerification(
      { identity: this.identity(), listenerArn: facts.listenerArn, serviceTargetGroupArns: [facts.targetGroups.live, facts.targetGroups.other], newTargetGroupArn: facts.targetGroups.other, matches: stage.matches, scope: stage.scope },
      ports.rules,
      execution,
    );
    progress.note(`the new stack answers requests with ${opened.routes.map(describeRoute).join(" or ")} (${at})`);
    if (!stage.probes) return { passed: true, reason: "no probes" };
    const report = await runProbes(`verification-probes:${facts.service}`, stage.probes, opened.routes, execution);
    for (const r of report.results) progress.note(`probe ${r.passed ? "passed" : "FAILED"}: ${r.reason}`);
    const failed = report.results.filter((r) => !r.passed);
    return { passed: report.passed, reason: report.passed ? "probes passed" : `verification failed: ${failed.map((r) => r.reason).join("; ") || "nothing to probe"}` };
  }

  async closeVerification(): Promise<void> {
    const { facts, ports, execution } = this.ctx;
    await closeVerification({ identity: this.identity(), listenerArn: facts.listenerArn }, ports.rules, execution);
  }

  async sweepVerification(): Promise<void> {
    const { facts, ports, execution } = this.ctx;
    await sweepLeakedVerificationRules({ identity: this.identity(), listenerArn: facts.listenerArn }, ports.rules, execution);
  }

  async marked(key: string): Promise<{ found: boolean; result?: unknown }> {
    const { execution } = this.ctx;
    return succeededResult(await execution.journal.entries(execution.deploymentId), this.step, key);
  }

  async mark(key: string, summary: string, result: unknown = {}): Promise<void> {
    const marker: Marker = { kind: "marker", key, summary, params: {} };
    await executePlan({ step: this.step, actions: [marker], diff: [], notes: [] }, () => Promise.resolve(result), this.ctx.execution);
  }

  note(line: string): void {
    this.ctx.progress.note(line);
  }
}
