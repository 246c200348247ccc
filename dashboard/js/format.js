import { h } from "./dom.js";

/** How statuses read: every colour also has its words, so nothing is told by colour alone. */
const runStatus = {
  queued: { tone: "off", text: "queued" },
  running: { tone: "run", text: "running" },
  succeeded: { tone: "ok", text: "succeeded" },
  failed: { tone: "bad", text: "failed" },
  aborted: { tone: "off", text: "aborted" },
  "rolled-back": { tone: "warn", text: "rolled back" },
  interrupted: { tone: "warn", text: "interrupted" },
  SUCCESSFUL: { tone: "ok", text: "successful" },
  FAILED: { tone: "bad", text: "failed" },
  ROLLBACK_SUCCESSFUL: { tone: "warn", text: "rolled back" },
  ROLLBACK_FAILED: { tone: "bad", text: "rollback failed" },
  TIMED_OUT: { tone: "bad", text: "timed out" },
  waiting: { tone: "wait", text: "waiting for approval" },
};

export const finalStatuses = ["succeeded", "failed", "aborted", "rolled-back", "interrupted"];

export function badge(status, label) {
  const known = runStatus[status] ?? { tone: "off", text: String(status) };
  return h("span", { class: `badge tone-${known.tone}` }, label ?? known.text);
}

/** The tone of a progress state (done, running, waiting, stopped, pending). */
export const progressText = { done: "done", running: "in progress", waiting: "waiting for approval", stopped: "stopped here", pending: "not started" };

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const day = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

function isToday(date) {
  const now = new Date();
  return date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
}

/** A <time> with the local time (today) or date, the full timestamp as its title. */
export function time(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const date = new Date(iso);
  return h("time", { datetime: iso, title: date.toLocaleString() }, isToday(date) ? clock.format(date) : day.format(date));
}

export function duration(fromIso, toIso) {
  if (!fromIso) return "—";
  const seconds = Math.max(0, Math.round(((toIso ? new Date(toIso).getTime() : Date.now()) - new Date(fromIso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

/** "12.5" → "12.5 %", whole numbers without decimals. */
export function percent(value) {
  if (value === undefined || value === null) return "—";
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

/** A bar for a share of traffic, with its number as text beside it. */
export function weightBar(value, label) {
  const shown = percent(value);
  const bar = h("span", { class: "bar", "aria-hidden": "true" }, h("span", { class: "bar-fill" }));
  bar.firstChild.style.width = `${Math.max(0, Math.min(100, value ?? 0))}%`;
  return h("span", { class: "weight", title: label ?? `${shown} of production traffic` }, bar, h("span", { class: "weight-value" }, shown));
}

export const deploymentHref = (id) => `#/deployments/${encodeURIComponent(id)}`;
