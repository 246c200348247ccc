import type { StepDefinition } from "./step.js";
import { manualInterventionStep } from "./manual-intervention/index.js";
import { serviceStep } from "./service/index.js";
import { taskDefinitionStep } from "./task-definition/index.js";
import { verificationStep } from "./verification/index.js";

/**
 * Every step slipway can run, by name: the one place a step name is looked up (STYLE lesson 2).
 * A new step adds one entry here. The input a step's run() takes is what its own load() returned.
 */
export const steps: ReadonlyMap<string, StepDefinition<unknown, unknown>> = new Map<string, StepDefinition<unknown, unknown>>([
  [taskDefinitionStep.name, taskDefinitionStep],
  [serviceStep.name, serviceStep],
  [verificationStep.name, verificationStep],
  [manualInterventionStep.name, manualInterventionStep],
]);

export function stepNamed(name: string): StepDefinition<unknown, unknown> | undefined {
  return steps.get(name);
}
