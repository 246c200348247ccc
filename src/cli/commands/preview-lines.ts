import type { DeploymentPreview } from "../../releases/preview-deployment.js";

/** The dry run as a person reads it: each step's plan under its name, then the promise that nothing changed. */
export function previewLines(preview: DeploymentPreview): string[] {
  const lines = [`dry run: release ${preview.release} to ${preview.environment}`];
  for (const note of preview.notes) lines.push(`note: ${note}`);
  for (const step of preview.steps) {
    lines.push(`step "${step.step}" (${step.uses})${step.runs ? "" : ": skipped"}`);
    for (const line of step.plan) lines.push(`  ${line}`);
  }
  lines.push("dry run: nothing was changed");
  return lines;
}
