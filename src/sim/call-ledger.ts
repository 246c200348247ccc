/**
 * Counts the calls the simulator answered, by operation and outcome, so tests and benchmarks can say how many
 * AWS calls a slipway command made (e.g. "an unchanged re-deploy made reads only").
 */
export type CallOutcome = "ok" | "error" | "throttled" | "fault";

export interface CallCounts {
  total: number;
  /** "ecs:DescribeServices" → outcome → count. */
  byOperation: Record<string, Partial<Record<CallOutcome, number>>>;
}

export class CallLedger {
  private counts: CallCounts = { total: 0, byOperation: {} };

  record(service: string, operation: string, outcome: CallOutcome): void {
    const key = `${service}:${operation}`;
    const entry = (this.counts.byOperation[key] ??= {});
    entry[outcome] = (entry[outcome] ?? 0) + 1;
    this.counts.total += 1;
  }

  snapshot(): CallCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = { total: 0, byOperation: {} };
  }
}
