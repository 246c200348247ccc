/**
 * A deployment's journal: every action is written before it runs and after it ends, so a process that crashed
 * or was killed can tell exactly what it had done and resume (or roll back) from there.
 */
export type JournalPhase = "started" | "succeeded" | "failed";

export interface JournalEntry {
  deploymentId: string;
  /** Order within the deployment, assigned by the journal. */
  seq: number;
  step: string;
  actionKey: string;
  actionKind: string;
  phase: JournalPhase;
  at: string;
  summary: string;
  /** What the action produced (ARNs, ids) — the facts later actions and rollbacks need. */
  result?: unknown;
  error?: string;
}

export type NewJournalEntry = Omit<JournalEntry, "seq" | "at">;

export interface Journal {
  append(entry: NewJournalEntry): Promise<JournalEntry>;
  entries(deploymentId: string): Promise<JournalEntry[]>;
}

/** What a dry run plans with: it stops before executing its plan, so nothing is journalled; a write is a bug. */
export const dryRunJournal: Journal = {
  append: () => Promise.reject(new Error("a dry run wrote to the journal")),
  entries: () => Promise.resolve([]),
};

/** The result recorded for an action key that already succeeded in this deployment, if any. */
export function succeededResult(entries: JournalEntry[], step: string, actionKey: string): { found: boolean; result?: unknown } {
  const done = entries.find((e) => e.step === step && e.actionKey === actionKey && e.phase === "succeeded");
  return done ? { found: true, result: done.result } : { found: false };
}
