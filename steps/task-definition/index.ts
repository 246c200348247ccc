import { createTaskDefinitionPorts } from "./ports.js";
import type { StepContext, StepDefinition, StepRun } from "../step.js";
import { executeTaskDefinitionPlan } from "./execute.js";
import { loadTaskDefinitionStep, taskDefinitionSchemaId, type LoadedTaskDefinitionStep } from "./load.js";
import { stepOutput, type PlannedTaskDefinition, type TaskDefinitionStepOutput } from "./output.js";
import { planStep, renderStep } from "./prepare.js";
import { provideSecrets } from "./provide-secrets.js";
import { placeholdersIn } from "./substitute.js";

/** A run of the step; a dry run also says which revision it would hand on. */
export interface TaskDefinitionRun extends StepRun<TaskDefinitionStepOutput> {
  planned?: PlannedTaskDefinition;
}

interface TaskDefinitionStepDefinition extends StepDefinition<LoadedTaskDefinitionStep, TaskDefinitionStepOutput> {
  run(loaded: LoadedTaskDefinitionStep, ctx: StepContext): Promise<TaskDefinitionRun>;
}

/**
 * The task definition step: renders the template for the environment with images chosen at release time,
 * registers a new revision only when the environment has no revision with that exact content, and applies
 * retention to the environment's own revisions (ownership.ts says which those are).
 */
export const taskDefinitionStep: TaskDefinitionStepDefinition = {
  name: "task-definition",
  description: "Register an ECS task definition revision with image versions chosen at release time, only when something changed.",
  schema: taskDefinitionSchemaId,
  load: loadTaskDefinitionStep,
  async run(loaded, ctx) {
    const ports = createTaskDefinitionPorts(ctx.clients);
    const { environment } = ctx.target;
    const step = `task-definition:${loaded.input.family}`;
    const execution = { deploymentId: ctx.deploymentId, journal: ctx.journal, ...(ctx.onProgress && { onProgress: ctx.onProgress }) };
    // Secrets first: the revision references the version that holds each value, known once it is written. Only
    // those the template uses: a project's secret for another step is none of this one's business.
    const used = placeholdersIn(loaded.input.template);
    const secrets = await provideSecrets((loaded.secrets ?? []).filter((s) => used.has(s.variable)), ports.secrets, { step, environment, dryRun: ctx.dryRun ?? false, execution, ...(ctx.target.secrets?.kmsKeyId !== undefined && { kmsKeyId: ctx.target.secrets.kmsKeyId }) });
    const rendered = await renderStep(loaded, ports.images, { environment, secretReferences: secrets.references, ...(ctx.release !== undefined && { release: ctx.release }) });
    const { plan: definitionPlan, identical } = await planStep(loaded, rendered, ports, environment, ctx.releaseRevisions);
    const plan = { ...definitionPlan, actions: [...secrets.plan.actions, ...definitionPlan.actions], notes: [...secrets.plan.notes, ...definitionPlan.notes] };
    if (ctx.dryRun) return { plan, planned: { family: loaded.input.family, definition: rendered.input, ...(identical && { reuse: identical.arn }) } };
    const executed = await executeTaskDefinitionPlan(definitionPlan, ports.writer, execution);
    return { plan, output: stepOutput(loaded.input.family, rendered.images, executed, identical) };
  },
};

export type { PlannedTaskDefinition, TaskDefinitionStepOutput } from "./output.js";
export type { LoadedTaskDefinitionStep } from "./load.js";
