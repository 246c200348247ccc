import { InputError } from "../errors.js";
import type { DeploymentRunStatus } from "../releases/deployment-run.js";

/** Query and header values of the API, checked: a bad one is a 400 saying what is allowed. */

/** One query value; a parameter given twice is refused rather than one of them silently chosen. */
function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new InputError(`The query parameter ${name} is given more than once.`, `Give ${name} once.`);
  return value;
}

/** A repeatable parameter (?package=a&package=b): every value, each matching `pattern`. */
export function queryList(value: unknown, name: string, pattern: RegExp, hint: string): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.map((item) => {
    if (typeof item !== "string" || !pattern.test(item)) throw new InputError(`The query parameter ${name} holds "${String(item).slice(0, 100)}", which is not one.`, hint);
    return item;
  });
}

/** A free-text filter (?environment=, ?release=): empty is the same as absent. */
export function queryText(value: unknown, name: string): string | undefined {
  const text = single(value, name);
  return text === "" ? undefined : text;
}

const statuses: readonly DeploymentRunStatus[] = ["queued", "running", "succeeded", "failed", "aborted", "rolled-back", "interrupted"];

/**
 * ?status=running,interrupted — exactly the OpenAPI document's pattern: known statuses joined by commas, nothing
 * else (no spaces, no empty item), so what the document refuses the server refuses too.
 */
export function parseStatuses(value: unknown): DeploymentRunStatus[] | undefined {
  const text = single(value, "status");
  if (text === undefined) return undefined;
  const given = text.split(",");
  const unknown = given.filter((s) => !statuses.includes(s as DeploymentRunStatus));
  if (unknown.length > 0) throw new InputError(`status=${text.slice(0, 100)} is not a list of deployment statuses.`, `The statuses are: ${statuses.join(", ")}; give several separated by commas, e.g. status=running,interrupted.`);
  return given as DeploymentRunStatus[];
}

/** ?limit=N, 1 to 1000. */
export function parseLimit(value: unknown, fallback: number): number {
  const text = single(value, "limit");
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d{1,4}$/.test(text) || n < 1 || n > 1000) throw new InputError(`limit must be a whole number from 1 to 1000, got "${text.slice(0, 40)}".`, `Leave it out for ${fallback}.`);
  return n;
}

/** Where an event stream resumes: Last-Event-ID (what a reconnecting EventSource sends) wins over ?after=. */
export function parseAfter(lastEventId: string | undefined, after: unknown): number | undefined {
  // Both are checked when both are sent: the one that loses is still part of the request.
  const fromQuery = eventId(single(after, "after"));
  return eventId(lastEventId) ?? fromQuery;
}

function eventId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Event ids are the store's bigint serials; past JavaScript's exact integers no id can be, and none is expected.
  if (!/^\d{1,15}$/.test(text)) throw new InputError(`The event id to resume after must be a whole number below 10^15, got "${text.slice(0, 40)}".`, "Send back the id: of the last event received, as Last-Event-ID or ?after=.");
  return Number(text);
}
