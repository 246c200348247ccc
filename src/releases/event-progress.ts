import type { Approvals, DecideRequest, Decision, Gate, GateKey, NewGate } from "../engine/approvals.js";
import type { EventLog } from "../engine/store.js";

import { decisionEvent } from "./decision-event.js";
import type { Redactor } from "./redactor.js";
import { describeSnapshot, type DeploymentProgress } from "../../steps/service/progress.js";

/**
 * What a deployment tells people, kept as events in the store (what `slipway serve` streams and the dashboard
 * draws). Progress callbacks are synchronous, so writes are chained in order; flush() waits for the last one.
 */
export class EventWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly events: EventLog,
    private readonly deploymentId: string,
    private readonly redactor: Redactor,
    /** AWS's clock as the run's clients read it, so these events and ECS's own read on one clock. */
    private readonly clock: { now(): Date },
  ) {}

  /** `at` when the event keeps another clock's time (a gate's, which is slipway's); otherwise AWS's now. */
  write(type: string, message: string, data?: unknown, at?: string): void {
    const event = { deploymentId: this.deploymentId, at: at ?? this.clock.now().toISOString(), type, message: this.redactor.text(message), ...(data !== undefined && { data: this.redactor.value(data) }) };
    // An event that cannot be written must not fail the deployment it describes; the journal is the record.
    this.chain = this.chain.then(() => this.events.append(event)).catch(() => undefined);
  }

  /** A gate's decision, dated by the gate (gates keep slipway's clock). */
  decision(decision: Decision): void {
    const event = decisionEvent(decision);
    this.write(event.type, event.message, event.data, event.at);
  }

  async flush(): Promise<void> {
    await this.chain;
  }

  /** A progress sink writing events, passing each call on to `also` (the terminal) as well. */
  progress(also?: DeploymentProgress): DeploymentProgress {
    return {
      status: (s) => {
        this.write("status", describeSnapshot(s), s);
        also?.status(s);
      },
      event: (e) => {
        this.write("service-event", e.message, { at: e.at.toISOString() });
        also?.event(e);
      },
      note: (line) => {
        this.write("note", line);
        also?.note(this.redactor.text(line));
      },
      // Written as the note it comes with; only the terminal's status line takes it.
      stage: (line) => also?.stage?.(this.redactor.text(line)),
      done: () => also?.done?.(),
    };
  }
}

/** Gates opened and decided through these approvals are also told as events, so watchers see them at once. */
export class EventedApprovals implements Approvals {
  constructor(
    private readonly inner: Approvals,
    private readonly writer: EventWriter,
  ) {}

  async open(gate: NewGate): Promise<Gate> {
    const opened = await this.inner.open(gate);
    if (!opened.decision) this.writer.write("gate", `waiting for approval: ${opened.stage}`, { stage: opened.stage, summary: opened.summary, ...(opened.expiresAt && { expiresAt: opened.expiresAt }) }, opened.openedAt);
    return opened;
  }

  decide(request: DecideRequest): Promise<Decision> {
    return this.inner.decide(request);
  }

  async expire(key: GateKey): Promise<Decision> {
    const decision = await this.inner.expire(key);
    this.writer.decision(decision);
    return decision;
  }

  get(key: GateKey): Promise<Gate | undefined> {
    return this.inner.get(key);
  }

  list(filter?: { open?: boolean }): Promise<Gate[]> {
    return this.inner.list(filter);
  }
}
