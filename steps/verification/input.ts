/**
 * The verification step's input as written in its step file (schemas/steps/verification.schema.json), with
 * slipway's defaults filled in by load.ts.
 */

/** How testers reach the new stack: a header, a query-string parameter, or both (each its own rule). */
export interface VerificationMatches {
  header?: { name: string; values: string[] };
  query?: { key: string; value: string };
}

/** Host and path conditions copied from the production rule; empty lists mean any host, any path. */
export interface VerificationScope {
  hosts: string[];
  paths: string[];
}

export interface ProbeCheck {
  path: string;
  expectStatus: number;
  bodyContains?: string;
  timeoutSeconds: number;
  attempts: number;
  intervalSeconds: number;
}

export interface ProbeSpec {
  /** The load balancer's URL; probes add the check's path and the verification header or query. */
  baseUrl: string;
  checks: ProbeCheck[];
}

export interface VerificationStepInput {
  service: string;
  /** canary | primary (the target's groups) or a target group name or ARN. Default canary. */
  targetGroup: string;
  match: VerificationMatches;
  scope: VerificationScope;
  probes?: ProbeSpec;
}

/** The probe check as its file wrote it: the JSON the schema checks. */
export type RawProbeCheck = Pick<ProbeCheck, "path"> & Partial<Omit<ProbeCheck, "path">>;

export interface RawVerificationStep {
  service: string;
  targetGroup?: string;
  match: VerificationMatches;
  scope?: Partial<VerificationScope>;
  probes?: { baseUrl: string; checks: RawProbeCheck[] };
}

export const probeDefaults = { expectStatus: 200, timeoutSeconds: 5, attempts: 3, intervalSeconds: 2 } as const;

export function toInput(raw: RawVerificationStep): VerificationStepInput {
  return {
    service: raw.service,
    targetGroup: raw.targetGroup ?? "canary",
    match: raw.match,
    scope: { hosts: raw.scope?.hosts ?? [], paths: raw.scope?.paths ?? [] },
    ...(raw.probes && { probes: { baseUrl: raw.probes.baseUrl, checks: raw.probes.checks.map((c) => ({ ...probeDefaults, ...c })) } }),
  };
}
