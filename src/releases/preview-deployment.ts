import { newDeploymentId } from "../engine/deployment-id.js";
import { dryRunJournal } from "../engine/journal.js";
import { noApprovals } from "../engine/approvals.js";
import { SlipwayError } from "../errors.js";
import { silentProgress } from "../../steps/service/progress.js";
import { destinationOf, type DeployingProject, type DeployRequest } from "./deployments.js";
import { revisionsReleasesHold } from "./held-revisions.js";
import { runProcessStep, runsIn } from "./process-steps.js";
import { Redactor } from "./redactor.js";
import type { SnapshotStep } from "./release.js";
import { resolveVariables } from "./secrets.js";
import { secretVariableNames } from "./secret-diff.js";
import { refuseUnfinished } from "./unfinished.js";

export interface StepPreview {
  step: string;
  uses: SnapshotStep["uses"];
  /** Whether the step runs in the environment (its environments: may leave it out). */
  runs: boolean;
  /** Its plan as the deployment would print it: writes in order, waits, diffs, what a failure would do. */
  plan: string[];
}

export interface DeploymentPreview {
  release: string;
  environment: string;
  /** What would stop a deployment started now before it changed anything (another run unfinished there). */
  notes: string[];
  steps: StepPreview[];
}

export type PreviewRequest = Omit<DeployRequest, "actor">;

/**
 * `deploy|promote --dry-run`: the release's whole process planned against what the environment runs now, with
 * no write — not to AWS, not to the store. Each step is planned against the world the steps before it would
 * leave: a task definition step hands the service step the definition it would register, before any revision
 * exists. The checks a deployment makes first (lifecycle, target, secrets readable) refuse here alike.
 */
export async function previewDeployment(project: DeployingProject, request: PreviewRequest): Promise<DeploymentPreview> {
  const { release, environment, target } = await destinationOf(project, request);
  const notes: string[] = [];
  await refuseUnfinished(project.store, environment).catch((error: unknown) => {
    if (!(error instanceof SlipwayError)) throw error;
    notes.push(`a deployment started now would be refused: ${error.message} ${error.hint ?? ""}`.trim());
  });
  const redactor = new Redactor();
  const variables = resolveVariables(release.snapshot.variables, { project: release.project, environment }, request.env ?? process.env, redactor);
  const clients = project.clientsFor(target);
  const steps: StepPreview[] = [];
  try {
    const outputs: Record<string, unknown> = {};
    const deploymentId = newDeploymentId("preview", environment, release.version.replace(/[^A-Za-z0-9._-]/g, "_"));
    for (const step of release.snapshot.steps) {
      if (!runsIn(step, environment)) {
        steps.push({ step: step.name, uses: step.uses, runs: false, plan: [`does not run in ${environment} (its environments: ${(step.environments ?? []).join(", ")})`] });
        continue;
      }
      const plan: string[] = [];
      outputs[step.name] = await runProcessStep(step, release.snapshot.steps, outputs, {
        target,
        clients,
        deploymentId,
        release: release.version,
        journal: dryRunJournal,
        approvals: noApprovals,
        records: project.store.records,
        progress: silentProgress,
        variables: variables.variables,
        secrets: variables.secrets,
        secretVariables: secretVariableNames(release.snapshot.variables),
        releaseRevisions: () => revisionsReleasesHold(project.store),
        dryRun: true,
        onPlan: (_name, lines) => plan.push(...lines.map((line) => redactor.text(line))),
      });
      steps.push({ step: step.name, uses: step.uses, runs: true, plan });
    }
  } finally {
    clients.destroy();
  }
  return { release: release.version, environment, notes, steps };
}
