import { mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { checkDeploymentId } from "../engine/deployment-id.js";
import type { Journal, JournalEntry, NewJournalEntry } from "../engine/journal.js";

/**
 * A journal kept as one JSON-lines file per deployment. Each entry is flushed to disk before append()
 * returns, so what the journal says happened survives a killed process.
 *
 * slipway's commands keep these in the project's store (src/storage/open-store.ts); this file-backed version
 * serves the step-level tests and the benchmarks, which need no database.
 */
export class FileJournal implements Journal {
  constructor(private readonly directory: string) {}

  private file(deploymentId: string): string {
    // The id names the file: one with a slash (or worse) is a person's typo, told as bad input, never a path.
    return path.join(this.directory, `${checkDeploymentId(deploymentId)}.jsonl`);
  }

  private async read(deploymentId: string): Promise<{ text: string; entries: JournalEntry[] }> {
    let text: string;
    try {
      text = await readFile(this.file(deploymentId), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { text: "", entries: [] };
      throw error;
    }
    // A crash mid-write can leave a torn line; it never recorded a finished write, so it is skipped.
    const entries: JournalEntry[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        continue;
      }
    }
    return { text, entries };
  }

  async entries(deploymentId: string): Promise<JournalEntry[]> {
    return (await this.read(deploymentId)).entries;
  }

  async append(entry: NewJournalEntry): Promise<JournalEntry> {
    await mkdir(this.directory, { recursive: true });
    const { text, entries } = await this.read(entry.deploymentId);
    const seq = (entries.at(-1)?.seq ?? 0) + 1;
    const full: JournalEntry = { ...entry, seq, at: new Date().toISOString() };
    // Start on a fresh line if a torn write left the file mid-line.
    const separator = text === "" || text.endsWith("\n") ? "" : "\n";
    const handle = await open(this.file(entry.deploymentId), "a");
    try {
      await handle.write(`${separator}${JSON.stringify(full)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return full;
  }
}
