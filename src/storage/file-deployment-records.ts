import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { DeploymentRecord, DeploymentRecords, ServiceKey } from "../engine/deployment-records.js";

/**
 * Deployment records as one JSON-lines file (.slipway/deployments.jsonl beside the journal). Appends only: a
 * torn last line from a killed process is skipped when read, as the journal does.
 *
 * slipway's commands keep these in the project's store (src/storage/open-store.ts); this file-backed version
 * serves the step-level tests and the benchmarks, which need no database.
 */
export class FileDeploymentRecords implements DeploymentRecords {
  constructor(readonly location: string) {}

  async append(record: DeploymentRecord): Promise<void> {
    await mkdir(path.dirname(this.location), { recursive: true });
    let separator = "";
    try {
      const text = await readFile(this.location, "utf8");
      if (text !== "" && !text.endsWith("\n")) separator = "\n";
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    await appendFile(this.location, `${separator}${JSON.stringify(record)}\n`);
  }

  async list(key: ServiceKey): Promise<DeploymentRecord[]> {
    let text: string;
    try {
      text = await readFile(this.location, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const records: DeploymentRecord[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        const record = JSON.parse(line) as DeploymentRecord;
        if (record.environment === key.environment && record.cluster === key.cluster && record.service === key.service) records.push(record);
      } catch {
        continue;
      }
    }
    return records.reverse();
  }
}
