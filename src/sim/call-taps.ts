import type { AwsError } from "./aws-error.js";
import type { ServiceName } from "./module.js";

/**
 * A look at every call a simulated service answered, as it went over the wire: what tests use to hold the whole
 * scenario corpus against AWS's published API models (test/support/conformance/). Taps are process-wide, so one
 * registered by a test run's setup sees every simulator the run starts in that process, and they only observe:
 * a tap cannot change an answer, and one that throws is not the caller's failure.
 */
export interface TappedCall {
  service: ServiceName;
  operation: string;
  protocol: "json" | "query";
  /** The input as the protocol read it: parsed JSON, or the query parameters with member lists made arrays. */
  input: Record<string, unknown>;
  /** The answer: the body sent (JSON 1.1) or the value serialised into XML (query), or the error. */
  answer: { ok: true; body: string; value: unknown } | { ok: false; error: AwsError };
}

export type CallTap = (call: TappedCall) => void;

const taps = new Set<CallTap>();

/** Registers `tap` for every answered call in this process; returns how to remove it. */
export function tapCalls(tap: CallTap): () => void {
  taps.add(tap);
  return () => taps.delete(tap);
}

export function tapping(): boolean {
  return taps.size > 0;
}

export function notifyTaps(call: TappedCall): void {
  for (const tap of taps) {
    try {
      tap(call);
    } catch {
      // An observer's own failure must not change what the simulator answered.
    }
  }
}
