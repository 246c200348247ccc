import { waitForDecision, type Approvals, type Decision, type Gate } from "../../src/engine/approvals.js";

/**
 * Asking a person: open a gate, wait for the decision. The same function serves the manual intervention step and
 * the task-set mode's ModeEnvironment.approve (steps/service/mode.ts), so a canary stage with approval: true and
 * a standalone step behave alike: same storage, same `slipway approve`, same timeout rule.
 */
export interface ApprovalSettings {
  approvals: Approvals;
  deploymentId: string;
  /** Who may decide; empty or absent: anyone. */
  approvers?: string[];
  /** Absent: wait until someone decides. */
  timeoutSeconds?: number;
  instructions?: string;
  /** Default 1000 ms. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  /** Told once the gate is open (or found open on a resumed deployment): where to say "waiting for approval". */
  onOpen?: (gate: Gate) => void;
}

/** Opens (or finds) the gate and waits for its decision: approved, aborted or timed out. */
export async function requestApproval(settings: ApprovalSettings, gate: { stage: string; summary: string }): Promise<Decision> {
  const opened = await settings.approvals.open({
    deploymentId: settings.deploymentId,
    stage: gate.stage,
    summary: gate.summary,
    ...(settings.instructions !== undefined && { instructions: settings.instructions }),
    ...(settings.timeoutSeconds !== undefined && { timeoutSeconds: settings.timeoutSeconds }),
    ...(settings.approvers && settings.approvers.length > 0 && { approvers: settings.approvers }),
  });
  settings.onOpen?.(opened);
  return waitForDecision(settings.approvals, opened, {
    ...(settings.pollIntervalMs !== undefined && { pollIntervalMs: settings.pollIntervalMs }),
    ...(settings.signal && { signal: settings.signal }),
  });
}

/**
 * ModeEnvironment.approve for the task-set mode: true when a person approved, false when they aborted or
 * nobody decided in time (the mode then rolls back). `onDecision` hears the full decision for progress output.
 */
export function approvalHook(settings: ApprovalSettings & { onDecision?: (decision: Decision) => void }): (gate: { stage: string; summary: string }) => Promise<boolean> {
  return async (gate) => {
    const decision = await requestApproval(settings, gate);
    settings.onDecision?.(decision);
    return decision.outcome === "approved";
  };
}

/** What to print while a deployment waits (e.g. from onOpen): the commands that decide this gate. */
export function waitingMessage(gate: Gate): string {
  const stage = /^[A-Za-z0-9._-]+$/.test(gate.stage) ? gate.stage : `"${gate.stage.replace(/"/g, '\\"')}"`;
  const until = gate.expiresAt ? ` until ${gate.expiresAt} (then it aborts)` : "";
  const who = gate.approvers && gate.approvers.length > 0 ? ` (approvers: ${gate.approvers.join(", ")})` : "";
  return `waiting for a decision on ${stage}${until}${who}: slipway approve ${gate.deploymentId} --stage ${stage}, or slipway abort ${gate.deploymentId} --stage ${stage} [--reason …]`;
}
