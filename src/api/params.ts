import { InputError } from "../errors.js";
import type { DeploymentRunStatus } from "../releases/deployment-run.js";

/** Query and header values of the API, checked: a bad one is a 400 saying what is allowed. */

/** One query value; a parameter given twice is refused rather than one of them silently chosen. */
export function queryText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new InputError(`The query parameter ${name} is given more than once.`, `Give ${name} once.`);
  return value;
}

const statuses: readonly DeploymentRunStatus[] = ["queued", "running", "succeeded", "failed", "aborted", "interrupted"];

/** ?status=running,interrupted */
export function parseStatuses(value: unknown): DeploymentRunStatus[] | undefined {
  const text = queryText(value, "status");
  if (text === undefined) return undefined;
  const given = text.split(",").map((s) => s.trim());
  const unknown = given.filter((s) => !statuses.includes(s as DeploymentRunStatus));
  if (unknown.length > 0) throw new InputError(`status=${unknown.join(",")} is not a deployment status.`, `The statuses are: ${statuses.join(", ")}; give several separated by commas.`);
  return given as DeploymentRunStatus[];
}

/** ?limit=N, 1 to 1000. */
export function parseLimit(value: unknown, fallback: number): number {
  const text = queryText(value, "limit");
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1000) throw new InputError(`limit must be a whole number from 1 to 1000, got "${text}".`, `Leave it out for ${fallback}.`);
  return n;
}

/** Where an event stream resumes: Last-Event-ID (what a reconnecting EventSource sends) wins over ?after=. */
export function parseAfter(lastEventId: string | undefined, after: unknown): number | undefined {
  const text = lastEventId ?? queryText(after, "after");
  if (text === undefined || text === "") return undefined;
  // Event ids are the store's bigint serials; past JavaScript's exact integers no id can be, and none is expected.
  if (!/^\d{1,15}$/.test(text)) throw new InputError(`The event id to resume after must be a whole number below 10^15, got "${text.slice(0, 40)}".`, "Send back the id: of the last event received, as Last-Event-ID or ?after=.");
  return Number(text);
}
