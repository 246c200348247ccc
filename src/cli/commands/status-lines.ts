import type { ProjectStatus, RunSummary } from "../../releases/status.js";
import { revisionLabel } from "../../../steps/service/state.js";

const cell = (r: RunSummary | undefined) => (r === undefined ? "-" : r.status === "succeeded" ? "✓" : r.waiting ? "waiting" : r.status);


/** A revision by its release's name, or by its own ("shop-web:3") when no release is known to have made it. */
const named = (r: { taskDefinition: string; release?: string }) => r.release ?? revisionLabel(r.taskDefinition);

/** What runs in an environment now: the release, and after a rollback which service went back from what. */
function runningNow(r: RunSummary): string {
  if (!r.rollback) return `runs ${r.release ?? "?"} (since ${r.at})`;
  const { service, from, to } = r.rollback;
  return `runs ${named(to)}${to.release === undefined ? ", no known release" : ""} (rollback of ${service} from ${named(from)}, since ${r.at})`;
}

/** "waiting for approval at stage 5 approval since 12:04:31Z (approve: …; abort: …)", or the run's status. */
function state(r: RunSummary): string {
  if (!r.waiting) return r.status;
  const { stage, since, approvers, expiresAt } = r.waiting;
  const who = approvers.length > 0 ? ` by ${approvers.join(" or ")}` : "";
  return `waiting for approval at "${stage}" since ${since}${expiresAt ? ` until ${expiresAt}` : ""}, slipway's clock (approve${who}: slipway approve ${r.id}; abort: slipway abort ${r.id})`;
}

const inProgress = (r: RunSummary) => (r.rollback ? `${r.status} rollback of ${r.rollback.service} to ${named(r.rollback.to)} [${r.id}]` : `${r.release ?? "?"} ${state(r)} [${r.id}]`);

/** Environments across, releases down: where each release went and how its latest deployment there ended. */
export function statusLines(status: ProjectStatus): string[] {
  const names = status.environments.map((e) => e.name);
  const width = Math.max(8, ...status.releases.map((r) => r.version.length)) + 2;
  const lines = [`project ${status.project}`];
  for (const e of status.environments) {
    const now = e.current ? runningNow(e.current) : "nothing deployed yet";
    const busy = e.inProgress.map(inProgress).join(", ");
    lines.push(`  ${e.name.padEnd(10)} ${now}${busy ? `; ${busy}` : ""}${e.optional ? " (optional)" : ""}`);
  }
  if (status.releases.length === 0) return [...lines, "no releases yet: slipway release create <version>"];
  lines.push("", `${"release".padEnd(width)}${names.map((n) => n.padEnd(12)).join("")}`);
  for (const r of status.releases) lines.push(`${r.version.padEnd(width)}${names.map((n) => cell(r.environments[n]).padEnd(12)).join("")}`);
  return lines;
}
