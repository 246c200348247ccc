import { createTaskDefinitionPorts } from "./ports.js";
import type { StepDefinition } from "../step.js";
import { executeTaskDefinitionPlan } from "./execute.js";
import { loadTaskDefinitionStep, taskDefinitionSchemaId, type LoadedTaskDefinitionStep } from "./load.js";
import { stepOutput, type TaskDefinitionStepOutput } from "./output.js";
import { planStep, renderStep } from "./prepare.js";

/**
 * The task definition step: renders the template for the environment with images chosen at release time,
 * registers a new revision only when the content changed, and applies retention.
 */
export const taskDefinitionStep: StepDefinition<LoadedTaskDefinitionStep, TaskDefinitionStepOutput> = {
  name: "task-definition",
  description: "Register an ECS task definition revision with image versions chosen at release time, only when something changed.",
  schema: taskDefinitionSchemaId,
  load: loadTaskDefinitionStep,
  async run(loaded, ctx) {
    const ports = createTaskDefinitionPorts(ctx.clients);
    const rendered = await renderStep(loaded, ports.images, { environment: ctx.target.environment, ...(ctx.release !== undefined && { release: ctx.release }) });
    const { plan, current } = await planStep(loaded, rendered, ports, ctx.target.cluster);
    if (ctx.dryRun) return { plan };
    const executed = await executeTaskDefinitionPlan(plan, ports.writer, { deploymentId: ctx.deploymentId, journal: ctx.journal, ...(ctx.onProgress && { onProgress: ctx.onProgress }) });
    return { plan, output: stepOutput(loaded.input.family, rendered.images, executed, current) };
  },
};

export type { TaskDefinitionStepOutput } from "./output.js";
export type { LoadedTaskDefinitionStep } from "./load.js";
