import type { Journal, JournalEntry, NewJournalEntry } from "./journal.js";

/**
 * A run told to stop (Ctrl-C, SIGTERM): it stops at the next safe point — before starting the next action, or out
 * of a wait — never in the middle of an AWS write and its journal entry. Whoever knows where the run stood (the
 * stage machine) fills in `where`; the deployment then turns it into an InterruptedError saying how to go on.
 */
export class Interrupted extends Error {
  override readonly name = "Interrupted";
  /** The stage or phase it stopped in, e.g. "stage 6 approval" or "rollback". */
  where?: string;
  constructor() {
    super("interrupted");
  }
}

/**
 * The journal, refusing to start an action once `signal` is aborted. Every action is journalled "started" before
 * it runs (executePlan), so this is the one place that stops the next write; the write in flight still records
 * how it ended, because only "started" entries are refused.
 */
export class InterruptibleJournal implements Journal {
  constructor(
    private readonly inner: Journal,
    private readonly signal: AbortSignal,
    /**
     * Asked before each action starts, for a stop recorded elsewhere (a person's abort in the store): a write after
     * it is refused at once, not a poll interval later.
     */
    private readonly stopAsked?: () => Promise<boolean>,
  ) {}

  async append(entry: NewJournalEntry): Promise<JournalEntry> {
    if (entry.phase === "started" && (this.signal.aborted || (await this.stopAsked?.()))) throw new Interrupted();
    return this.inner.append(entry);
  }

  entries(deploymentId: string): Promise<JournalEntry[]> {
    return this.inner.entries(deploymentId);
  }
}

/** Rethrows a wait's AbortError as Interrupted when it was our signal that ended it. */
export function interruptedBy(signal: AbortSignal | undefined, error: unknown): unknown {
  return signal?.aborted ? new Interrupted() : error;
}
