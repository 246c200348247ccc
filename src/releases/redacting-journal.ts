import type { Journal, JournalEntry, NewJournalEntry } from "../engine/journal.js";
import type { Redactor } from "./redactor.js";

/**
 * The journal as a deployment of a release writes it: an AWS error can echo what it was sent (a task definition
 * with a secret in its environment), and the journal is shown by `slipway serve` and the dashboard.
 */
export class RedactingJournal implements Journal {
  constructor(
    private readonly inner: Journal,
    private readonly redactor: Redactor,
  ) {}

  append(entry: NewJournalEntry): Promise<JournalEntry> {
    return this.inner.append({ ...entry, summary: this.redactor.text(entry.summary), ...(entry.error !== undefined && { error: this.redactor.text(entry.error) }) });
  }

  entries(deploymentId: string): Promise<JournalEntry[]> {
    return this.inner.entries(deploymentId);
  }
}
