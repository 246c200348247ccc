import type { NewForwardRule } from "../../src/aws/listener-rules.js";
import type { MatchKind } from "./identity.js";
import type { VerificationMatches, VerificationScope } from "./input.js";

/**
 * Routing policy: which rules expose the new stack. One rule per match, so a tester needs the header OR the
 * query parameter, not both (conditions within one ALB rule are ANDed). Each rule also carries the production
 * route's host and path, so it only catches the service's own requests.
 */
export interface DesiredRule {
  kind: MatchKind;
  match: NewForwardRule["match"];
}

/** ALB's quota: condition values per rule, across all of its conditions. */
export const maxValuesPerRule = 5;

export function desiredRules(matches: VerificationMatches, scope: VerificationScope): DesiredRule[] {
  const rules: DesiredRule[] = [];
  const scoped = { hosts: scope.hosts, paths: scope.paths };
  if (matches.header) rules.push({ kind: "header", match: { headers: [{ name: matches.header.name, values: matches.header.values }], query: [], ...scoped } });
  if (matches.query) rules.push({ kind: "query", match: { headers: [], query: [{ key: matches.query.key, value: matches.query.value }], ...scoped } });
  return rules;
}

/** How many condition values a rule spends against ALB's per-rule quota. */
export function valueCount(match: NewForwardRule["match"]): number {
  return match.headers.reduce((n, h) => n + h.values.length, 0) + match.query.length + match.hosts.length + match.paths.length;
}

/** The request a tester sends to take a rule's route: what probes add to their requests. */
export type VerificationRoute = { kind: "header"; name: string; value: string } | { kind: "query"; key: string; value: string };

export function routesOf(matches: VerificationMatches): VerificationRoute[] {
  const routes: VerificationRoute[] = [];
  // A header value with wildcards is a pattern, not a value to send; the first plain one is used.
  const plain = matches.header?.values.find((v) => !/[*?]/.test(v));
  if (matches.header && plain) routes.push({ kind: "header", name: matches.header.name, value: plain });
  if (matches.query) routes.push({ kind: "query", key: matches.query.key, value: matches.query.value });
  return routes;
}

export function describeRoute(route: VerificationRoute): string {
  return route.kind === "header" ? `header ${route.name}: ${route.value}` : `query ?${route.key}=${route.value}`;
}
