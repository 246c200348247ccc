import { describeDecision, noApprovals, type Decision } from "../../src/engine/approvals.js";
import { DeploymentFailedError } from "../../src/errors.js";
import type { StepDefinition } from "../step.js";
import { requestApproval, type ApprovalSettings } from "./gate.js";
import { loadManualInterventionStep, manualInterventionSchemaId, type LoadedManualInterventionStep, type ManualInterventionInput } from "./load.js";

/** What the step hands on: who decided and why, for the deployment's record. */
export type ManualInterventionOutput = Decision;

/**
 * The inner step (STYLE lesson 1): waits for a person's decision on this deployment's gate. Approved returns the
 * decision; aborted or timed out fails the deployment with a DeploymentFailedError saying who and why.
 */
export async function runManualIntervention(input: ManualInterventionInput, settings: Omit<ApprovalSettings, "approvers" | "timeoutSeconds" | "instructions">): Promise<Decision> {
  const decision = await requestApproval(
    { ...settings, approvers: input.approvers, instructions: input.instructions, ...(input.timeoutSeconds !== undefined && { timeoutSeconds: input.timeoutSeconds }) },
    { stage: input.stage, summary: input.instructions.split("\n")[0] ?? input.instructions },
  );
  if (decision.outcome === "approved") return decision;
  throw new DeploymentFailedError(`Deployment ${settings.deploymentId} stopped at "${input.stage}": ${describeDecision(decision)}.`, "Nothing after this gate ran. Deploy again when it is ready to go ahead.");
}

/** The gate as a plan shows it: who may decide, and what happens if nobody does. */
export function describeGate(input: ManualInterventionInput): string[] {
  const who = input.approvers.length > 0 ? `approvers: ${input.approvers.join(", ")}` : "anyone may decide";
  const timeout = input.timeoutSeconds !== undefined ? `; nobody deciding within ${input.timeoutSeconds} s aborts it` : "; it waits until someone decides";
  return [`waits for a person to approve "${input.stage}" (${who}${timeout}): ${input.instructions.split("\n")[0] ?? ""}`];
}

export const manualInterventionStep: StepDefinition<LoadedManualInterventionStep, ManualInterventionOutput> = {
  name: "manual-intervention",
  description: "Pause the deployment until a person approves or aborts it (slipway approve / slipway abort), with a timeout that aborts.",
  schema: manualInterventionSchemaId,
  load: (file) => loadManualInterventionStep(file),
  async run(loaded, ctx) {
    const plan = { step: `manual-intervention:${loaded.input.stage}`, actions: [], diff: [], notes: describeGate(loaded.input) };
    if (ctx.dryRun) return { plan };
    return { plan, output: await runManualIntervention(loaded.input, { approvals: ctx.approvals ?? noApprovals, deploymentId: ctx.deploymentId }) };
  },
};

export { approvalHook, requestApproval, waitingMessage, type ApprovalSettings } from "./gate.js";
export type { LoadedManualInterventionStep, ManualInterventionInput } from "./load.js";
