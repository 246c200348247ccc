import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { Action, Plan } from "../../src/engine/plan.js";
import type { RevisionRef } from "../../src/aws/task-definitions.js";
import { diffDefinitions } from "./diff.js";
import type { NormalisedDefinition } from "./normalise.js";

export type RegisterAction = Action<"register", { input: RegisterTaskDefinitionCommandInput }>;
export type DeregisterAction = Action<"deregister", { arn: string; revision: number }>;
export type TaskDefinitionAction = RegisterAction | DeregisterAction;

/** An ACTIVE revision of the environment (ownership.ts), normalised for comparison. */
export interface CurrentRevision {
  arn: string;
  revision: number;
  definition: NormalisedDefinition;
}

export interface PlanInput {
  /** The plan's step name, e.g. "task-definition:shop-web": unique per family within a deployment. */
  step: string;
  family: string;
  environment: string;
  desired: { input: RegisterTaskDefinitionCommandInput; definition: NormalisedDefinition; content: string };
  /** The environment's newest ACTIVE revision: what a change is shown against. */
  current?: CurrentRevision;
  /** An ACTIVE revision of the environment with exactly the desired content: reused rather than registered again. */
  identical?: CurrentRevision;
  /** Every ACTIVE revision of the environment, any order; read whole only when retention is set. */
  ownRevisions: RevisionRef[];
  retention?: { keep: number };
  /**
   * Revisions retention must keep whatever `keep` says, each with why (a service runs it; a release deployed
   * somewhere uses it). Only needed when retentionCandidates() found any.
   */
  protected?: ReadonlyMap<string, string>;
}

export function isUnchanged(input: Pick<PlanInput, "identical">): boolean {
  return input.identical !== undefined;
}

/**
 * The environment's ACTIVE revisions beyond its newest `keep`, counting the revision about to be registered as
 * the newest. The revision the step hands on (registered or reused) is never one. Whether something still uses
 * them is the caller's next question (and a read it can skip when this is empty).
 */
export function retentionCandidates(input: Pick<PlanInput, "ownRevisions" | "retention" | "identical">): RevisionRef[] {
  if (!input.retention) return [];
  const reused = input.identical?.arn;
  // The revision handed on (new or reused) takes one of the kept places; the others go to the newest of the rest.
  const others = input.ownRevisions.filter((r) => r.arn !== reused).sort((a, b) => b.revision - a.revision);
  return others.slice(Math.max(input.retention.keep - 1, 0)).sort((a, b) => a.revision - b.revision);
}

/** Desired vs the environment's revisions → register (only when no identical one exists) and retention's deregistrations. Pure. */
export function planTaskDefinition(input: PlanInput): Plan<TaskDefinitionAction> {
  const actions: TaskDefinitionAction[] = [];
  const notes: string[] = [];
  const { family, environment } = input;
  const desiredLabel = `${family} (rendered for ${environment})`;
  // Reusing a revision shows no change against it; otherwise the change is shown against what the environment has now.
  const against = input.identical ?? input.current;
  const againstLabel = against ? `${family}:${against.revision} (${against === input.identical ? "identical" : "newest"} in ${environment})` : `${family} (no ACTIVE revision in ${environment})`;
  const diff = diffDefinitions({ label: againstLabel, ...(against && { definition: against.definition }) }, { label: desiredLabel, definition: input.desired.definition });
  if (input.identical) {
    const newer = input.current && input.current.revision !== input.identical.revision ? ` (${environment}'s newest is ${input.current.revision})` : "";
    notes.push(`revision ${input.identical.revision} reused: ${environment} has one with this exact content${newer}`);
  } else {
    const hash = input.desired.content.slice(0, 12);
    actions.push({ kind: "register", key: `register ${family}@${hash}`, summary: `register a new revision of ${family} for ${environment} (content ${hash})`, params: { input: input.desired.input } });
  }
  const candidates = retentionCandidates(input);
  // Deregistering without knowing what is in use could pull a revision from under a running service.
  if (candidates.length > 0 && !input.protected) throw new Error("planTaskDefinition: retention candidates found but the protected revisions were not read");
  for (const candidate of candidates) {
    const why = input.protected?.get(candidate.arn);
    if (why !== undefined) {
      notes.push(`revision ${candidate.revision} kept beyond retention: ${why}`);
      continue;
    }
    actions.push({ kind: "deregister", key: `deregister ${family}:${candidate.revision}`, summary: `deregister ${family}:${candidate.revision} (retention keeps ${input.retention?.keep ?? 0} in ${environment})`, params: { arn: candidate.arn, revision: candidate.revision } });
  }
  return { step: input.step, actions, diff, notes };
}
