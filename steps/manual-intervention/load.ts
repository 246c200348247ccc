import { exampleEntry } from "../../src/config/example.js";
import { isRecord } from "../../src/config/raw.js";
import { checkAgainstSchema, failWith, readStepFile } from "../step-file.js";

export const manualInterventionSchemaId = "https://slipway.dev/schemas/v1/steps/manual-intervention.schema.json";

/** The step's input (schemas/steps/manual-intervention.schema.json) with its defaults filled in. */
export interface ManualInterventionInput {
  instructions: string;
  stage: string;
  timeoutSeconds?: number;
  /** Empty: anyone may decide. */
  approvers: string[];
}

export interface LoadedManualInterventionStep {
  file: string;
  input: ManualInterventionInput;
}

export const defaultStage = "manual intervention";

/** Reads a manual intervention step file and checks it against its schema. Throws one InputError with every problem. */
export function loadManualInterventionStep(file: string): LoadedManualInterventionStep {
  const doc = readStepFile(file, "step file");
  const problems = checkAgainstSchema(doc, manualInterventionSchemaId, `Start it with ${exampleEntry(doc.syntax, "instructions", "Check the canary, then approve.")}.`);
  if (problems.length > 0 || !isRecord(doc.value)) failWith(problems, [file]);
  const raw = doc.value as Partial<ManualInterventionInput> & { instructions: string };
  return {
    file,
    input: {
      instructions: raw.instructions,
      stage: raw.stage ?? defaultStage,
      ...(raw.timeoutSeconds !== undefined && { timeoutSeconds: raw.timeoutSeconds }),
      approvers: raw.approvers ?? [],
    },
  };
}
