import type { ProbeCheck } from "../../verification/input.js";
import type { VerificationMatches, VerificationScope } from "../../verification/input.js";

/**
 * The stages of a task-set deployment as a step file writes them (one key per stage, as in a pipeline) and as the
 * stage machine walks them. "Candidate" is the new revision's task set on the other target group: the canary
 * (scale N %) or, in blue/green, the green stack (100 %).
 */
export type Strategy = "canary" | "blue-green";

export interface RawVerifyStage {
  header?: { name: string; values: string[] };
  query?: { key: string; value: string };
  scope?: Partial<VerificationScope>;
  probes?: { baseUrl: string; checks: (Pick<ProbeCheck, "path"> & Partial<Omit<ProbeCheck, "path">>)[] };
}

export interface RawApprovalStage {
  timeoutSeconds?: number;
  instructions?: string;
  approvers?: string[];
  /** Only in these environments; absent: every one. */
  environments?: string[];
}

export type RawStage =
  | { canaryRollout: { scale: number } }
  | { greenRollout: Record<string, never> }
  | { trafficRouting: { canary?: number; primary?: number; green?: number; blue?: number } }
  | { pause: { seconds: number; environments?: string[] } }
  | { approval: RawApprovalStage }
  | { verify: RawVerifyStage }
  | { primaryRollout: Record<string, never> }
  | { canaryClean: Record<string, never> }
  | { clean: Record<string, never> };

export type Stage =
  /** The candidate task set at `scale` % of the desired count on the other target group. */
  | { kind: "rollout"; scale: number }
  /** The first deployment of a service: the revision at 100 % on the live group, made primary. Nothing to compare a canary with. */
  | { kind: "initial-rollout" }
  /** The share of production traffic (0–100) the other target group gets; the live group gets the rest. */
  | { kind: "traffic"; percent: number }
  | { kind: "pause"; seconds: number }
  | { kind: "approval"; timeoutSeconds?: number; instructions?: string; approvers?: string[] }
  | { kind: "verify"; matches: VerificationMatches; scope: VerificationScope; probes?: { baseUrl: string; checks: ProbeCheck[] } }
  /** Canary only: the new revision at 100 % on the live target group, made primary once steady. */
  | { kind: "primary-rollout" }
  /** Verification closed, traffic final, the candidate made primary (blue/green), every other task set deleted. */
  | { kind: "clean" };

/** Waiting stages (pause, approval) may be limited to some environments: dev need not wait for a person. */
export function stagesIn(raw: readonly RawStage[], environment: string): RawStage[] {
  return raw.filter((stage) => {
    const only = "pause" in stage ? stage.pause.environments : "approval" in stage ? stage.approval.environments : undefined;
    return only === undefined || only.includes(environment);
  });
}

export const probeDefaults = { expectStatus: 200, timeoutSeconds: 5, attempts: 3, intervalSeconds: 2 } as const;

/** Defaults when a step names no stages: a 10 % canary watched for five minutes; blue/green baked for five minutes. */
export const defaultStages: Record<Strategy, RawStage[]> = {
  canary: [{ canaryRollout: { scale: 10 } }, { trafficRouting: { canary: 10 } }, { pause: { seconds: 300 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { canaryClean: {} }],
  "blue-green": [{ greenRollout: {} }, { trafficRouting: { green: 100 } }, { pause: { seconds: 300 } }, { clean: {} }],
};

/**
 * A rollback to a release that ran here before (`slipway rollback --env`): the known-good revision at full scale,
 * then all traffic to it at once — no canary share, pause, gate or verification stands between an incident and
 * the version that worked.
 */
export const rollbackStages: Record<Strategy, RawStage[]> = {
  canary: [{ canaryRollout: { scale: 100 } }, { trafficRouting: { canary: 100 } }, { primaryRollout: {} }, { trafficRouting: { primary: 100 } }, { canaryClean: {} }],
  "blue-green": [{ greenRollout: {} }, { trafficRouting: { green: 100 } }, { clean: {} }],
};

function trafficPercent(routing: { canary?: number; primary?: number; green?: number; blue?: number }): number {
  if (routing.canary !== undefined) return routing.canary;
  if (routing.green !== undefined) return routing.green;
  if (routing.primary !== undefined) return 100 - routing.primary;
  return 100 - (routing.blue ?? 100);
}

/** A step file's stage → the machine's. The schema and stageProblems() have already checked it. */
export function toStage(raw: RawStage): Stage {
  if ("canaryRollout" in raw) return { kind: "rollout", scale: raw.canaryRollout.scale };
  if ("greenRollout" in raw) return { kind: "rollout", scale: 100 };
  if ("trafficRouting" in raw) return { kind: "traffic", percent: trafficPercent(raw.trafficRouting) };
  if ("pause" in raw) return { kind: "pause", seconds: raw.pause.seconds };
  if ("approval" in raw) {
    const { environments: _only, ...approval } = raw.approval;
    return { kind: "approval", ...approval };
  }
  if ("verify" in raw) {
    const v = raw.verify;
    return {
      kind: "verify",
      matches: { ...(v.header && { header: v.header }), ...(v.query && { query: v.query }) },
      scope: { hosts: v.scope?.hosts ?? [], paths: v.scope?.paths ?? [] },
      ...(v.probes && { probes: { baseUrl: v.probes.baseUrl, checks: v.probes.checks.map((c) => ({ ...probeDefaults, ...c })) } }),
    };
  }
  if ("primaryRollout" in raw) return { kind: "primary-rollout" };
  return { kind: "clean" };
}

/** The one-line name of a stage for people and for the journal's keys: "canary rollout 10%", "traffic 25%". */
export function stageName(stage: Stage, strategy: Strategy): string {
  const candidate = strategy === "canary" ? "canary" : "green";
  switch (stage.kind) {
    case "rollout":
      return `${candidate} rollout ${stage.scale}%`;
    case "initial-rollout":
      return "initial rollout";
    case "traffic":
      return stage.percent === 0 ? `traffic ${strategy === "canary" ? "primary" : "blue"} 100%` : `traffic ${candidate} ${stage.percent}%`;
    case "pause":
      return `pause ${stage.seconds}s`;
    case "approval":
      return "approval";
    case "verify":
      return "verify";
    case "primary-rollout":
      return "primary rollout";
    case "clean":
      return strategy === "canary" ? "canary clean" : "clean";
  }
}

const keyOf = (raw: RawStage) => Object.keys(raw)[0] ?? "";

/**
 * Orders a schema cannot state, as messages by stage index (-1: the list as a whole): each strategy's own stages,
 * one rollout first, traffic only after it, clean last; blue/green's clean only once all traffic is on green.
 */
export function stageProblems(strategy: Strategy, stages: RawStage[]): { index: number; message: string; hint: string }[] {
  const problems: { index: number; message: string; hint: string }[] = [];
  const own = strategy === "canary" ? ["canaryRollout", "primaryRollout", "canaryClean"] : ["greenRollout", "clean"];
  const foreign = strategy === "canary" ? ["greenRollout", "clean"] : ["canaryRollout", "primaryRollout", "canaryClean"];
  const rollout = strategy === "canary" ? "canaryRollout" : "greenRollout";
  const clean = strategy === "canary" ? "canaryClean" : "clean";
  stages.forEach((raw, index) => {
    const key = keyOf(raw);
    if (foreign.includes(key)) problems.push({ index, message: `${key} is not a stage of mode: ${strategy}.`, hint: `The ${strategy} stages are ${own.join(", ")}, trafficRouting, pause, approval and verify.` });
    if ("trafficRouting" in raw) {
      const names = Object.keys(raw.trafficRouting);
      const allowed = strategy === "canary" ? ["canary", "primary"] : ["green", "blue"];
      if (names.length !== 1 || !allowed.includes(names[0] ?? "")) problems.push({ index, message: `trafficRouting takes exactly one of ${allowed.join(" or ")} in mode: ${strategy}.`, hint: `Write e.g. trafficRouting: { ${allowed[0]}: 10 }.` });
    }
  });
  const positions = (name: string) => stages.flatMap((raw, i) => (keyOf(raw) === name ? [i] : []));
  const rollouts = positions(rollout);
  if (rollouts.length !== 1) problems.push({ index: -1, message: `mode: ${strategy} needs exactly one ${rollout} stage; there are ${rollouts.length}.`, hint: `Start the stages with ${rollout}.` });
  const firstRollout = rollouts[0] ?? stages.length;
  stages.forEach((raw, index) => {
    if (index < firstRollout && keyOf(raw) !== "approval") problems.push({ index, message: `${keyOf(raw)} comes before ${rollout}: there is no new task set yet.`, hint: `Move it after ${rollout}.` });
  });
  const cleans = positions(clean);
  if (cleans.length !== 1 || cleans[0] !== stages.length - 1) problems.push({ index: -1, message: `mode: ${strategy} must end with one ${clean} stage.`, hint: `Add ${clean}: {} as the last stage.` });
  if (strategy === "canary") {
    const primary = positions("primaryRollout");
    if (primary.length !== 1) problems.push({ index: -1, message: `mode: canary needs exactly one primaryRollout stage; there are ${primary.length}.`, hint: "Add primaryRollout: {} once the canary has been watched, before canaryClean." });
    const at = primary[0] ?? -1;
    stages.forEach((raw, index) => {
      if (index > at && at >= 0 && "trafficRouting" in raw && (raw.trafficRouting.canary ?? 0) > 0) {
        problems.push({ index, message: "trafficRouting sends traffic to the canary after primaryRollout.", hint: "After primaryRollout, route to the primary: trafficRouting: { primary: 100 }." });
      }
    });
  } else {
    const traffic = stages.filter((raw): raw is Extract<RawStage, { trafficRouting: unknown }> => "trafficRouting" in raw).map((raw) => trafficPercent(raw.trafficRouting));
    if (traffic.at(-1) !== 100) problems.push({ index: -1, message: "mode: blue-green must move all traffic to green before clean.", hint: "Add trafficRouting: { green: 100 } before clean (a pause between them is the bake time)." });
  }
  return problems;
}
