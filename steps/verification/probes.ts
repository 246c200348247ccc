import { setTimeout as sleep } from "node:timers/promises";
import { executePlan, type ExecutionContext } from "../../src/engine/executor.js";
import type { Action, Plan } from "../../src/engine/plan.js";
import { describeRoute, type VerificationRoute } from "./desired.js";
import type { ProbeCheck, ProbeSpec } from "./input.js";

/**
 * Automatic checks of the new stack: each check is sent through each verification route (with the header, or
 * with the query parameter) to the load balancer's URL, retried up to its attempts. Each (check, route) is one
 * journalled action whose result is the outcome, pass or fail — so the facts that gate the next stage are on
 * record, and a resumed deployment reuses them instead of probing again.
 */
export interface ProbeResult {
  path: string;
  route: string;
  passed: boolean;
  attempts: number;
  /** The last answer's status, when there was one. */
  status?: number;
  /** One line for people: why it passed or failed. */
  reason: string;
}

export interface ProbeReport {
  passed: boolean;
  results: ProbeResult[];
}

export type ProbeAction = Action<"probe", { check: ProbeCheck; route: VerificationRoute }>;

/** The URL a check requests through a route: base + path, plus the query parameter for a query route. */
export function probeUrl(baseUrl: string, check: ProbeCheck, route: VerificationRoute): URL {
  // Appended, not resolved: a base URL with a path (https://host/shop) keeps it.
  const url = new URL(`${baseUrl.replace(/\/$/, "")}${check.path}`);
  if (route.kind === "query") url.searchParams.set(route.key, route.value);
  return url;
}

async function tryOnce(url: URL, check: ProbeCheck, route: VerificationRoute): Promise<{ ok: boolean; status?: number; reason: string }> {
  try {
    const res = await fetch(url, { headers: route.kind === "header" ? { [route.name]: route.value } : {}, signal: AbortSignal.timeout(check.timeoutSeconds * 1000), redirect: "manual" });
    const body = await res.text();
    if (res.status !== check.expectStatus) return { ok: false, status: res.status, reason: `answered ${res.status}, expected ${check.expectStatus}` };
    if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) return { ok: false, status: res.status, reason: `answered ${res.status} without "${check.bodyContains}" in the body` };
    return { ok: true, status: res.status, reason: `answered ${res.status}${check.bodyContains !== undefined ? ` with "${check.bodyContains}"` : ""}` };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { ok: false, reason: timedOut ? `no answer within ${check.timeoutSeconds}s` : `request failed${cause || `: ${String(error)}`}` };
  }
}

/** One check through one route, retried; never throws. */
export async function probe(baseUrl: string, check: ProbeCheck, route: VerificationRoute): Promise<ProbeResult> {
  const url = probeUrl(baseUrl, check, route);
  let last: { ok: boolean; status?: number; reason: string } = { ok: false, reason: "not tried" };
  let attempts = 0;
  while (attempts < check.attempts) {
    if (attempts > 0) await sleep(check.intervalSeconds * 1000);
    attempts += 1;
    last = await tryOnce(url, check, route);
    if (last.ok) break;
  }
  return { path: check.path, route: describeRoute(route), passed: last.ok, attempts, ...(last.status !== undefined && { status: last.status }), reason: `${url.pathname} with ${describeRoute(route)} ${last.reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}` };
}

/** The probe plan: every check through every route. `step` names it in the journal, e.g. "verification-probes:shop-web". */
export function planProbes(step: string, spec: ProbeSpec, routes: VerificationRoute[]): Plan<ProbeAction> {
  const actions = spec.checks.flatMap((check) =>
    routes.map((route): ProbeAction => ({ kind: "probe", key: `probe ${check.path} via ${describeRoute(route)}`, summary: `probe ${check.path} with ${describeRoute(route)}, expecting ${check.expectStatus}`, params: { check, route } })),
  );
  return { step, actions, diff: [], notes: routes.length === 0 ? ["no route to probe through: the header values are all patterns"] : [] };
}

/** Runs every check through every route, journalled; the report says whether all passed. */
export async function runProbes(step: string, spec: ProbeSpec, routes: VerificationRoute[], execution: ExecutionContext): Promise<ProbeReport> {
  const executed = await executePlan(planProbes(step, spec, routes), (action) => probe(spec.baseUrl, action.params.check, action.params.route), execution);
  const results = executed.map((e) => e.result as ProbeResult);
  return { passed: results.length > 0 && results.every((r) => r.passed), results };
}
