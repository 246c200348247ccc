/**
 * ECS's own blue/green, linear and canary deployments (mode: ecs-blue-green, ecs-linear, ecs-canary) as a step file
 * writes them, and the settings they come to for one environment. ECS walks the deployment's lifecycle itself;
 * slipway's verification and approvals are pause hooks at the lifecycle stages they belong to (hooks.ts).
 */
import type { VerificationMatches, VerificationScope } from "../../verification/input.js";
import type { ProbeCheck } from "../../verification/input.js";

export type NativeModeName = "ecs-blue-green" | "ecs-linear" | "ecs-canary";
export type NativeStrategy = "BLUE_GREEN" | "LINEAR" | "CANARY";

export const nativeModes: Record<NativeModeName, NativeStrategy> = { "ecs-blue-green": "BLUE_GREEN", "ecs-linear": "LINEAR", "ecs-canary": "CANARY" };

export function isNativeMode(mode: string): mode is NativeModeName {
  return mode in nativeModes;
}

/**
 * The lifecycle stages a pause hook may stop at (AWS refuses pause hooks at TEST_TRAFFIC_SHIFT and
 * PRODUCTION_TRAFFIC_SHIFT: those stages run again on rollback). RECONCILE_SERVICE is left out: it only happens when
 * a service has more than one active revision, so an approval there would come and go unpredictably.
 */
export const pauseStages = ["PRE_SCALE_UP", "POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"] as const;
export type PauseStage = (typeof pauseStages)[number];

export type TimeoutAction = "ROLLBACK" | "CONTINUE";

/** ECS's defaults where the step writes nothing (AWS's API reference), so the plan shows what ECS will do. */
export const nativeDefaults = {
  /** slipway's: ECS requires one for BLUE_GREEN and its CloudFormation default for the others is 36 hours. */
  bakeTimeInMinutes: 5,
  linear: { stepPercent: 10, stepBakeTimeInMinutes: 6 },
  canary: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
  /** ECS's default hook timeout. */
  approvalTimeoutMinutes: 1440,
  /** How long ECS waits at the verification pause for a slipway that stopped, before rolling back. */
  verificationTimeoutMinutes: 60,
  /** The role name AWS's guide gives ECS's infrastructure role for load balancers. */
  loadBalancerRole: "ecsInfrastructureRoleForLoadBalancers",
} as const;

export interface RawNativeVerification {
  header?: { name: string; values: string[] };
  query?: { key: string; value: string };
  scope?: Partial<VerificationScope>;
  probes?: { baseUrl: string; checks: (Pick<ProbeCheck, "path"> & Partial<Omit<ProbeCheck, "path">>)[] };
  timeoutMinutes?: number;
}

export interface RawNativeApproval {
  at: PauseStage;
  timeoutMinutes?: number;
  onTimeout?: TimeoutAction;
  instructions?: string;
  approvers?: string[];
  /** Only in these environments; absent: every one. */
  environments?: string[];
}

export interface NativeVerification {
  matches: VerificationMatches;
  scope: VerificationScope;
  probes?: { baseUrl: string; checks: ProbeCheck[] };
  timeoutMinutes: number;
}

export interface NativeApproval {
  at: PauseStage;
  timeoutMinutes: number;
  onTimeout: TimeoutAction;
  instructions?: string;
  approvers?: string[];
}

/** One environment's native deployment settings, every default filled in. */
export interface NativeSettings {
  strategy: NativeStrategy;
  bakeTimeInMinutes: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  /** Name or ARN of the IAM role ECS uses to change the listener rules (advancedConfiguration.roleArn). */
  loadBalancerRole: string;
  verification?: NativeVerification;
  approvals: NativeApproval[];
}

export interface RawNativeValues {
  mode?: string;
  deployment?: { bakeTimeInMinutes?: number; linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number }; canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number } };
  loadBalancerRole?: string;
  verification?: RawNativeVerification;
  approvals?: RawNativeApproval[];
}

const probeDefaults = { expectStatus: 200, timeoutSeconds: 5, attempts: 3, intervalSeconds: 2 } as const;

/** The step's native settings for `environment`: its own values over the step's (deployment member by member). */
export function nativeSettingsFor(mode: NativeModeName, raw: RawNativeValues, own: RawNativeValues, environment: string): NativeSettings {
  const strategy = nativeModes[mode];
  const deployment = { ...raw.deployment, ...own.deployment };
  const verification = own.verification ?? raw.verification;
  const approvals = (own.approvals ?? raw.approvals ?? []).filter((a) => a.environments === undefined || a.environments.includes(environment));
  return {
    strategy,
    bakeTimeInMinutes: deployment.bakeTimeInMinutes ?? nativeDefaults.bakeTimeInMinutes,
    ...(strategy === "LINEAR" && { linearConfiguration: { ...nativeDefaults.linear, ...deployment.linearConfiguration } }),
    ...(strategy === "CANARY" && { canaryConfiguration: { ...nativeDefaults.canary, ...deployment.canaryConfiguration } }),
    loadBalancerRole: own.loadBalancerRole ?? raw.loadBalancerRole ?? nativeDefaults.loadBalancerRole,
    ...(verification && {
      verification: {
        matches: { ...(verification.header && { header: verification.header }), ...(verification.query && { query: verification.query }) },
        scope: { hosts: verification.scope?.hosts ?? [], paths: verification.scope?.paths ?? [] },
        ...(verification.probes && { probes: { baseUrl: verification.probes.baseUrl, checks: verification.probes.checks.map((c) => ({ ...probeDefaults, ...c })) } }),
        timeoutMinutes: verification.timeoutMinutes ?? nativeDefaults.verificationTimeoutMinutes,
      },
    }),
    approvals: approvals.map(({ environments: _only, ...a }) => ({ ...a, timeoutMinutes: a.timeoutMinutes ?? nativeDefaults.approvalTimeoutMinutes, onTimeout: a.onTimeout ?? "ROLLBACK" })),
  };
}

/** Green's share of production traffic after each production shift, as ECS moves it (the plan shows these). */
export function productionSteps(settings: Pick<NativeSettings, "strategy" | "linearConfiguration" | "canaryConfiguration">): number[] {
  const tenth = (n: number) => Math.min(100, Math.round(n * 10) / 10);
  if (settings.strategy === "LINEAR") {
    const step = settings.linearConfiguration?.stepPercent ?? nativeDefaults.linear.stepPercent;
    const steps: number[] = [];
    for (let i = 1; steps.at(-1) !== 100; i += 1) steps.push(tenth(i * step));
    return steps;
  }
  if (settings.strategy === "CANARY") return [tenth(settings.canaryConfiguration?.canaryPercent ?? nativeDefaults.canary.canaryPercent), 100];
  return [100];
}
