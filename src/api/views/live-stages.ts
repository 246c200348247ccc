import type { Gate } from "../../engine/approvals.js";
import type { JournalEntry } from "../../engine/journal.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { runsIn } from "../../releases/process-steps.js";
import type { Release, SnapshotStep } from "../../releases/release.js";
import { settingsFor } from "../../../steps/service/input.js";
import { stepOf, type DeploymentFacts } from "../../../steps/service/task-sets/facts.js";
import { markers, stagesFor } from "../../../steps/service/task-sets/machine.js";
import { stageName, toStage, type Strategy } from "../../../steps/service/task-sets/stages.js";

/**
 * Where a deployment stands, from what it recorded: which of its release's steps are done (their output is kept),
 * and for a canary or blue/green service step which stages its journal marks done. Nothing here reads AWS.
 */

/** running: the deployment is on it now; waiting: for a person, at an open gate; stopped: the deployment ended on it. */
export type Progress = "done" | "running" | "waiting" | "stopped" | "pending";

export interface LiveStep {
  name: string;
  uses: SnapshotStep["uses"];
  state: Progress;
}

export interface LiveStage {
  /** As the journal and the gates name it: "stage 3 traffic canary 10%". */
  label: string;
  state: Progress;
}

export interface StageProgress {
  stages: LiveStage[];
  /** A rollback's markers: begun once it started, done once it finished. */
  rollback?: "begun" | "done";
}

type ServiceStep = Extract<SnapshotStep, { uses: "service" }>;

/** The state of the first unfinished item: what the deployment is doing there, or did when it ended. */
function frontier(run: DeploymentRun): Progress {
  if (run.status === "running") return "running";
  if (run.status === "queued" || run.status === "succeeded") return "pending";
  return "stopped";
}

/** The release's steps that run in the deployment's environment, in order, each with its state. */
export function stepProgress(release: Release, run: DeploymentRun, openGates: readonly Gate[]): LiveStep[] {
  let reached = false;
  return release.snapshot.steps
    .filter((s) => runsIn(s, run.environment))
    .map((s) => {
      if (s.name in run.outputs) return { name: s.name, uses: s.uses, state: "done" as const };
      if (reached) return { name: s.name, uses: s.uses, state: "pending" as const };
      reached = true;
      const state = frontier(run);
      return { name: s.name, uses: s.uses, state: state === "running" && openGates.length > 0 ? "waiting" : state };
    });
}

/**
 * A service step's stages: the step's (those of this environment), or — once the journal's facts say the service
 * had no primary yet — the initial rollout. Each is done when its "stage N …: done" marker succeeded; the first
 * that is not takes the step's own state, or waits when its gate is open.
 */
export function stageProgress(step: ServiceStep, environment: string, stepState: Progress, journal: readonly JournalEntry[], openGates: readonly Gate[]): StageProgress {
  const settings = settingsFor(step.raw, environment);
  if (settings.mode !== "canary" && settings.mode !== "blue-green") return { stages: [] };
  const strategy: Strategy = settings.mode;
  const own = journal.filter((e) => e.step === stepOf(settings.service));
  const succeeded = new Set(own.filter((e) => e.phase === "succeeded").map((e) => e.actionKey));
  const facts = own.find((e) => e.actionKey === markers.facts && e.phase === "succeeded")?.result as DeploymentFacts | undefined;
  const raw = settings.stages;
  const planned = facts ? stagesFor(facts, raw) : raw.map(toStage);
  let reached = false;
  const stages = planned.map((stage, index): LiveStage => {
    const label = `stage ${index + 1} ${stageName(stage, strategy)}`;
    if (succeeded.has(`${label}: done`)) return { label, state: "done" };
    if (reached || stepState === "done") return { label, state: reached ? "pending" : "done" };
    reached = true;
    const waiting = openGates.some((g) => g.stage === label);
    return { label, state: waiting ? "waiting" : stepState === "waiting" ? "running" : stepState };
  });
  const rollback = succeeded.has(markers.rollbackDone) ? "done" : own.some((e) => e.actionKey === markers.rollbackBegun) ? "begun" : undefined;
  return { stages, ...(rollback && { rollback }) };
}
