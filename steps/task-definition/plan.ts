import { createHash } from "node:crypto";
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { Action, Plan } from "../../src/engine/plan.js";
import type { RevisionRef } from "../../src/aws/task-definitions.js";
import { diffDefinitions } from "./diff.js";
import { canonicalJson, type NormalisedDefinition } from "./normalise.js";

export type RegisterAction = Action<"register", { input: RegisterTaskDefinitionCommandInput }>;
export type DeregisterAction = Action<"deregister", { arn: string; revision: number }>;
export type TaskDefinitionAction = RegisterAction | DeregisterAction;

/** The newest ACTIVE revision as read from ECS, normalised for comparison. */
export interface CurrentRevision {
  arn: string;
  revision: number;
  definition: NormalisedDefinition;
}

export interface PlanInput {
  /** The plan's step name, e.g. "task-definition:shop-web": unique per family within a deployment. */
  step: string;
  family: string;
  desired: { input: RegisterTaskDefinitionCommandInput; definition: NormalisedDefinition };
  current?: CurrentRevision;
  /** Every ACTIVE revision of the family, oldest first. */
  activeRevisions: RevisionRef[];
  retention?: { keep: number };
  /** ARNs some service in the target's cluster uses; only needed when retentionCandidates() found any. */
  inUse?: ReadonlySet<string>;
}

/** A short fingerprint of a definition's content: the same desired state always gives the same action key. */
export function fingerprint(definition: NormalisedDefinition): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex").slice(0, 12);
}

export function isUnchanged(input: Pick<PlanInput, "desired" | "current">): boolean {
  return input.current !== undefined && canonicalJson(input.current.definition) === canonicalJson(input.desired.definition);
}

/**
 * ACTIVE revisions beyond the newest `keep`, counting the revision about to be registered as the newest.
 * Whether a service still uses them is the caller's next question (and a read it can skip when this is empty).
 */
export function retentionCandidates(input: Pick<PlanInput, "activeRevisions" | "retention" | "desired" | "current">): RevisionRef[] {
  if (!input.retention) return [];
  const keepExisting = Math.max(input.retention.keep - (isUnchanged(input) ? 0 : 1), 0);
  const newestFirst = [...input.activeRevisions].sort((a, b) => b.revision - a.revision);
  // The revision the output points at is never a candidate, whatever keep says.
  return newestFirst.slice(keepExisting).filter((r) => r.arn !== (isUnchanged(input) ? input.current?.arn : undefined));
}

/** Desired vs current → register (only when the content differs) and retention's deregistrations. Pure. */
export function planTaskDefinition(input: PlanInput): Plan<TaskDefinitionAction> {
  const actions: TaskDefinitionAction[] = [];
  const notes: string[] = [];
  const unchanged = isUnchanged(input);
  const desiredLabel = `${input.family} (rendered)`;
  const currentLabel = input.current ? `${input.family}:${input.current.revision} (newest ACTIVE)` : `${input.family} (no ACTIVE revision)`;
  const diff = diffDefinitions({ label: currentLabel, ...(input.current && { definition: input.current.definition }) }, { label: desiredLabel, definition: input.desired.definition });
  if (unchanged && input.current) {
    notes.push(`revision ${input.current.revision} reused: nothing changed`);
  } else {
    const hash = fingerprint(input.desired.definition);
    actions.push({ kind: "register", key: `register ${input.family}@${hash}`, summary: `register a new revision of ${input.family} (content ${hash})`, params: { input: input.desired.input } });
  }
  const candidates = retentionCandidates(input).sort((a, b) => a.revision - b.revision);
  // Deregistering without knowing what is in use could pull a revision from under a running service.
  if (candidates.length > 0 && !input.inUse) throw new Error("planTaskDefinition: retention candidates found but the revisions in use were not read");
  for (const candidate of candidates) {
    if (input.inUse?.has(candidate.arn)) {
      notes.push(`revision ${candidate.revision} kept beyond retention: a service in the cluster uses it`);
      continue;
    }
    actions.push({ kind: "deregister", key: `deregister ${input.family}:${candidate.revision}`, summary: `deregister ${input.family}:${candidate.revision} (retention keeps ${input.retention?.keep ?? 0})`, params: { arn: candidate.arn, revision: candidate.revision } });
  }
  return { step: input.step, actions, diff, notes };
}
