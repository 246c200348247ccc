import { mkdtemp, appendFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executePlan } from "../../src/engine/executor.js";
import type { Action, Plan } from "../../src/engine/plan.js";
import { FileJournal } from "../../src/storage/file-journal.js";
import { AwsCallError } from "../../src/errors.js";

const action = (key: string): Action<"touch", { name: string }> => ({ kind: "touch", key, summary: `touch ${key}`, params: { name: key } });
const plan: Plan<Action<"touch", { name: string }>> = { step: "demo", actions: [action("a"), action("b"), action("c")], diff: [], notes: [] };

describe("executePlan with a file journal", () => {
  let dir: string;
  let journal: FileJournal;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "slipway-journal-"));
    journal = new FileJournal(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes each action before and after it runs", async () => {
    const applied: string[] = [];
    await executePlan(plan, async (a) => (applied.push(a.params.name), `result-${a.key}`), { deploymentId: "d1", journal });
    expect(applied).toEqual(["a", "b", "c"]);
    const entries = await journal.entries("d1");
    expect(entries.map((e) => `${e.actionKey}:${e.phase}`)).toEqual(["a:started", "a:succeeded", "b:started", "b:succeeded", "c:started", "c:succeeded"]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries[1]?.result).toBe("result-a");
  });

  it("resumes after a failure without repeating what succeeded", async () => {
    const failing = executePlan(plan, async (a) => {
      if (a.key === "b") throw new Error("network down");
      return a.key;
    }, { deploymentId: "d2", journal });
    await expect(failing).rejects.toBeInstanceOf(AwsCallError);
    expect((await journal.entries("d2")).map((e) => `${e.actionKey}:${e.phase}`)).toEqual(["a:started", "a:succeeded", "b:started", "b:failed"]);

    const applied: string[] = [];
    const second = await executePlan(plan, async (a) => (applied.push(a.key), a.key), { deploymentId: "d2", journal });
    expect(applied).toEqual(["b", "c"]);
    expect(second.map((r) => [r.action.key, r.resumed, r.result])).toEqual([["a", true, "a"], ["b", false, "b"], ["c", false, "c"]]);
  });

  it("reads a journal whose last line was torn by a crash", async () => {
    await executePlan({ ...plan, actions: [action("a")] }, async () => "ok", { deploymentId: "d3", journal });
    await appendFile(path.join(dir, "d3.jsonl"), '{"deploymentId":"d3","seq":3,"ph');
    expect(await journal.entries("d3")).toHaveLength(2);
    await journal.append({ deploymentId: "d3", step: "demo", actionKey: "b", actionKind: "touch", phase: "started", summary: "touch b" });
    const entries = await journal.entries("d3");
    expect(entries.map((e) => [e.seq, e.actionKey, e.phase])).toEqual([[1, "a", "started"], [2, "a", "succeeded"], [3, "b", "started"]]);
  });
});
