import type { JournalEntry } from "../../../src/engine/journal.js";

/**
 * When this deployment last moved listener weights, on both clocks: AWS's (recorded with the write, since the
 * load balancer applies weights at AWS's pace — against the simulator that runs fast) and this machine's (the
 * journal's own time, for a write journalled before AWS's time was recorded with it).
 */
export interface WeightChange {
  awsMs: number;
  wallMs: number;
}

export function lastWeightChange(entries: readonly JournalEntry[], step: string): WeightChange | undefined {
  const last = entries.filter((e) => e.step === step && e.actionKind === "set-weights" && e.phase === "succeeded").at(-1);
  if (!last) return undefined;
  const wallMs = Date.parse(last.at);
  const recorded = (last.result as { awsAt?: string } | undefined)?.awsAt;
  const awsMs = recorded ? Date.parse(recorded) : Number.NaN;
  return { awsMs: Number.isNaN(awsMs) ? wallMs : awsMs, wallMs };
}

/**
 * Seconds still to wait before the weights count as applied: settled once `seconds` have passed on either clock —
 * AWS's (what the load balancer goes by) or this machine's (so a simulator with its time frozen cannot hold a
 * deployment forever; against AWS the two agree).
 */
export function settleLeftSeconds(change: WeightChange | undefined, seconds: number, now: { awsMs: number; wallMs: number }): number {
  if (!change || seconds <= 0) return 0;
  const elapsed = Math.max(now.awsMs - change.awsMs, now.wallMs - change.wallMs) / 1000;
  return Math.max(0, seconds - elapsed);
}
