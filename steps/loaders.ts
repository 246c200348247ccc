import type { StepDefinition } from "./step.js";
import { loadManualInterventionStep, manualInterventionSchemaId } from "./manual-intervention/load.js";
import { loadServiceStep, serviceSchemaId } from "./service/load.js";
import { loadTaskDefinitionStep, taskDefinitionSchemaId } from "./task-definition/load.js";
import { loadVerificationStep, verificationSchemaId } from "./verification/load.js";

/** What reading a project needs of a step: its name, its schema and how its file is read, not how it runs. */
export type StepLoader = Pick<StepDefinition<unknown, unknown>, "name" | "schema" | "load">;

/**
 * Every step's loader, by name, in the registry's order (steps/registry.ts; a test keeps the two in step).
 * Config loading and `validate` look steps up here rather than in the registry: the registry imports each step's
 * deploy code and, through it, the AWS SDK clients — about 0.5 s and 70 MB of imports a command that only reads
 * files does not need.
 */
export const stepLoaders: ReadonlyMap<string, StepLoader> = new Map<string, StepLoader>([
  ["task-definition", { name: "task-definition", schema: taskDefinitionSchemaId, load: loadTaskDefinitionStep }],
  ["service", { name: "service", schema: serviceSchemaId, load: loadServiceStep }],
  ["verification", { name: "verification", schema: verificationSchemaId, load: (file) => loadVerificationStep(file) }],
  ["manual-intervention", { name: "manual-intervention", schema: manualInterventionSchemaId, load: (file) => loadManualInterventionStep(file) }],
]);

export function stepLoaderNamed(name: string): StepLoader | undefined {
  return stepLoaders.get(name);
}
