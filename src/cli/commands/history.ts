import type { Command } from "commander";
import { serviceHistory, type HistoryEntry } from "../../../steps/service/index.js";
import { settingsFor } from "../../../steps/service/input.js";
import { createServicePorts } from "../../../steps/service/ports.js";
import type { Output } from "../output.js";
import { serviceCommand, withService, type ServiceCommandOptions } from "./service-project.js";

interface HistoryOptions extends ServiceCommandOptions {
  json?: boolean;
  limit: string;
}

const time = (iso: string | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : "-");

function table(entries: HistoryEntry[]): string[] {
  const rows = entries.map((e) => [time(e.startedAt), time(e.endedAt), e.status, `${e.from} → ${e.to}`, e.circuitBreaker, e.failedTasks === undefined ? "-" : String(e.failedTasks)]);
  const header = ["STARTED", "ENDED", "STATUS", "REVISIONS", "CIRCUIT BREAKER", "FAILED TASKS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const lines = [line(header)];
  entries.forEach((e, i) => {
    lines.push(line(rows[i] ?? []));
    if (e.reason) lines.push(`  ${e.reason}`);
  });
  return lines;
}

/** `slipway history`: a service's deployments in an environment, newest first. */
export function registerHistory(program: Command, io: Output): void {
  serviceCommand(program.command("history"))
    .description("list the service's deployments in the environment, newest first: revisions, start and end, status, circuit breaker, failed tasks")
    .option("--json", "print the entries as JSON (default: a table)")
    .option("--limit <n>", "how many deployments to show", "20")
    .action((stepFile: string, opts: HistoryOptions) =>
      withService(stepFile, opts, async (p) => {
        const service = settingsFor(p.loaded.raw, p.target.environment).service;
        const key = { environment: p.target.environment, cluster: p.target.cluster, service };
        const history = await serviceHistory(key, createServicePorts(p.clients), p.records, Math.max(1, Number(opts.limit) || 20));
        if (opts.json) {
          io.out(JSON.stringify(history, null, 2));
          return;
        }
        io.out(
          history.source === "ecs"
            ? `${service} in ${p.target.environment} (cluster ${p.target.cluster}), from ECS service deployments:`
            : `${history.whyRecords}. Showing slipway's own records from ${p.records.location}:`,
        );
        if (history.entries.length === 0) io.out("  no deployments recorded");
        else for (const line of table(history.entries)) io.out(`  ${line}`);
      }),
    );
}
