import { describeDecision, type Gate } from "../../engine/approvals.js";
import type { Output } from "../output.js";
import type { ApprovalsOptions } from "./approve.js";
import { withStore } from "./project-store.js";

const time = (iso: string | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : "-");

function table(gates: Gate[]): string[] {
  const header = ["DEPLOYMENT", "STAGE", "OPENED", "EXPIRES", "APPROVERS", "STATUS"];
  const rows = gates.map((g) => [g.deploymentId, g.stage, time(g.openedAt), time(g.expiresAt), g.approvers?.join(",") ?? "anyone", g.decision ? describeDecision(g.decision) : "waiting"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const lines = [line(header)];
  gates.forEach((g, i) => {
    lines.push(line(rows[i] ?? []));
    lines.push(`  ${g.summary}`);
    if (g.instructions && g.instructions !== g.summary) lines.push(...g.instructions.split("\n").map((l) => `  ${l}`));
  });
  return lines;
}

interface ListOptions extends ApprovalsOptions {
  all?: boolean;
  json?: boolean;
}

/** The action of `approvals` (its definition, loaded at start, is in approvals-command.ts). */
export const approvalsAction = (io: Output) =>
  async (opts: ListOptions) => {
    const gates = await withStore(opts.project, (store) => store.approvals.list({ open: !opts.all }));
    if (opts.json) return void io.out(JSON.stringify(gates, null, 2));
    if (gates.length === 0) return void io.out(opts.all ? "no approval gates" : "no approval gates waiting");
    for (const line of table(gates)) io.out(line);
  };
