import type { HistoryEntry } from "../../../steps/service/index.js";
import type { Output } from "../output.js";
import { environmentHistory } from "../../api/views/history.js";
import { environmentHistoryLines, time } from "./environment-history-lines.js";
import { withEnvironmentStore, withService, type ServiceCommandOptions } from "./service-project.js";

interface HistoryOptions extends ServiceCommandOptions {
  json?: boolean;
  limit: string;
}

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


/** The action of `history` (its definition, loaded at start, is in history-command.ts). */
export const historyAction = (io: Output) =>
  (stepFile: string | undefined, opts: HistoryOptions) => {
    const limit = Math.max(1, Number(opts.limit) || 20);
    if (stepFile === undefined) {
      // The store's records only: no AWS client, so none of the AWS SDK is loaded.
      return withEnvironmentStore(opts.project, opts.env, async ({ target, store }) => {
        const history = await environmentHistory(store, opts.env, target, limit);
        if (opts.json) {
          io.out(JSON.stringify(history, null, 2));
          return;
        }
        for (const line of environmentHistoryLines(opts.env, history)) io.out(line);
      });
    }
    return withService(stepFile, opts, async (p) => {
      const [{ serviceHistory }, { settingsFor }, { createServicePorts }] = await Promise.all([import("../../../steps/service/index.js"), import("../../../steps/service/input.js"), import("../../../steps/service/ports.js")]);
      const service = settingsFor(p.loaded.raw, p.target.environment).service;
      const key = { environment: p.target.environment, cluster: p.target.cluster, service };
      const history = await serviceHistory(key, createServicePorts(p.clients), p.records, limit);
      if (opts.json) {
        io.out(JSON.stringify(history, null, 2));
        return;
      }
      io.out(
        history.source === "ecs"
          ? `${service} in ${p.target.environment} (cluster ${p.target.cluster}), from ECS service deployments (times are ECS's):`
          : `${history.whyRecords}. Showing slipway's own records from ${p.records.location} (times are AWS's clock, UTC):`,
      );
      if (history.entries.length === 0) io.out("  no deployments recorded");
      else for (const line of table(history.entries)) io.out(`  ${line}`);
    });
  };
