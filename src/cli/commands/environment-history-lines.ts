import type { EnvironmentHistory } from "../../api/views/history.js";

/** A time as the tables show it: to the second, "-" when there is none. */
export const time = (iso: string | undefined) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : "-");

/** The environment's deployments (of releases, and rollbacks), newest first: when, what, who, how it ended. */
function environmentTable(history: EnvironmentHistory): string[] {
  const rows = history.deployments.map((d) => [
    time(d.startedAt ?? d.createdAt),
    time(d.endedAt),
    d.kind === "rollback" ? `rollback to ${d.release ?? d.rollback?.to.revision ?? "?"}` : (d.release ?? "?"),
    d.requestedBy,
    d.status,
    d.services.map((s) => `${s.service} ${s.from ?? "(new)"} → ${s.to} ${s.status}`).join(", ") || (d.rollback ? `${d.rollback.service} ${d.rollback.from.revision} → ${d.rollback.to.revision}` : "-"),
  ]);
  const header = ["STARTED", "ENDED", "RELEASE", "WHO", "OUTCOME", "SERVICES"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const lines = [line(header)];
  history.deployments.forEach((d, i) => {
    lines.push(line(rows[i] ?? []));
    if (d.error && d.status !== "succeeded") lines.push(`  ${d.error.message}`);
  });
  return lines;
}

/** `slipway history --env` as text: a heading, then the table (the same from the local store and through a server). */
export function environmentHistoryLines(environment: string, history: EnvironmentHistory): string[] {
  const heading = `deployments in ${environment}, newest first (times are AWS's clock, UTC):`;
  if (history.deployments.length === 0) return [heading, "  none yet"];
  return [heading, ...environmentTable(history).map((line) => `  ${line}`)];
}
