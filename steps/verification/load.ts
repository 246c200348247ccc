import type { Problem } from "../../src/errors.js";
import { exampleEntry } from "../../src/config/example.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";
import { checkAgainstSchema, failWith, problemAt, readStepFile } from "../step-file.js";
import { desiredRules, maxValuesPerRule, valueCount } from "./desired.js";
import { toInput, type RawVerificationStep, type VerificationStepInput } from "./input.js";

export const verificationSchemaId = "https://slipway.dev/schemas/v1/steps/verification.schema.json";

export interface LoadedVerificationStep {
  file: string;
  input: VerificationStepInput;
}

/** ALB's per-rule quota spans fields, which a schema cannot count: each rule's values, scope included. */
function quotaProblems(doc: SourceDocument, input: VerificationStepInput): Problem[] {
  return desiredRules(input.match, input.scope)
    .filter((rule) => valueCount(rule.match) > maxValuesPerRule)
    .map((rule) =>
      problemAt(doc, `/match/${rule.kind}`, `The ${rule.kind} rule would have ${valueCount(rule.match)} condition values (its own plus scope's hosts and paths); an ALB rule allows ${maxValuesPerRule}.`, "Use fewer header values, hosts or paths.", "key"),
    );
}

/** Reads a verification step file and checks it against its schema and ALB's quotas. Throws one InputError with every problem. */
export function loadVerificationStep(file: string): LoadedVerificationStep {
  const doc = readStepFile(file, "step file");
  const problems = checkAgainstSchema(doc, verificationSchemaId, `Start it with ${exampleEntry(doc.syntax, "service", "shop-web")}; schemas/steps/verification.schema.json has a complete example.`);
  if (problems.length > 0 || !isRecord(doc.value)) failWith(problems, [file]);
  const input = toInput(doc.value as unknown as RawVerificationStep);
  const quota = quotaProblems(doc, input);
  if (quota.length > 0) failWith(quota, [file]);
  return { file, input };
}
