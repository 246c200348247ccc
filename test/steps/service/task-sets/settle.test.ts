import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../../../src/engine/journal.js";
import { lastWeightChange, settleLeftSeconds } from "../../../../steps/service/task-sets/settle.js";

const step = "task-sets:shop-web";
const entry = (seq: number, actionKind: string, at: string, result?: unknown, phase: JournalEntry["phase"] = "succeeded"): JournalEntry => ({
  deploymentId: "d-1",
  seq,
  step,
  actionKey: `k${seq}`,
  actionKind,
  phase,
  at,
  summary: "",
  ...(result !== undefined && { result }),
});

describe("the traffic settle time before a set that lost traffic goes", () => {
  it("counts from the deployment's last weight change, on AWS's clock when the write recorded it", () => {
    const entries = [
      entry(1, "set-weights", "2026-12-07T10:00:00.000Z", { awsAt: "2026-12-07T12:00:00.000Z" }),
      entry(2, "scale-task-set", "2026-12-07T10:00:05.000Z"),
      entry(3, "set-weights", "2026-12-07T10:00:10.000Z", { awsAt: "2026-12-07T12:30:00.000Z" }),
      entry(4, "set-weights", "2026-12-07T10:00:20.000Z", undefined, "failed"),
      { ...entry(5, "set-weights", "2026-12-07T10:00:30.000Z", { awsAt: "2026-12-07T13:00:00.000Z" }), step: "task-sets:other" },
    ];
    expect(lastWeightChange(entries, step)).toEqual({ awsMs: Date.parse("2026-12-07T12:30:00.000Z"), wallMs: Date.parse("2026-12-07T10:00:10.000Z") });
    // A journal written before AWS's time was recorded: the journal's own time stands for both.
    expect(lastWeightChange([entry(1, "set-weights", "2026-12-07T10:00:00.000Z", { percent: 0 })], step)).toEqual({ awsMs: Date.parse("2026-12-07T10:00:00.000Z"), wallMs: Date.parse("2026-12-07T10:00:00.000Z") });
    expect(lastWeightChange([entry(1, "delete-task-set", "2026-12-07T10:00:00.000Z")], step)).toBeUndefined();
  });

  it("is over once either clock has moved on by the settle time, and never waits without a weight change", () => {
    const change = { awsMs: 100_000, wallMs: 5_000 };
    expect(settleLeftSeconds(change, 10, { awsMs: 103_000, wallMs: 6_000 })).toBe(7);
    // A simulator running fast: AWS's clock passed the settle time while this machine's moved a second.
    expect(settleLeftSeconds(change, 10, { awsMs: 111_000, wallMs: 6_000 })).toBe(0);
    // A simulator whose time is frozen cannot hold the deployment: this machine's clock ends the wait.
    expect(settleLeftSeconds(change, 10, { awsMs: 100_000, wallMs: 15_000 })).toBe(0);
    expect(settleLeftSeconds(undefined, 10, { awsMs: 0, wallMs: 0 })).toBe(0);
    expect(settleLeftSeconds(change, 0, { awsMs: 100_000, wallMs: 5_000 })).toBe(0);
  });
});
