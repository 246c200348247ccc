import { InputError, type Problem } from "../../src/errors.js";
import { joinPointer, pointerSegments } from "../../src/config/pointer.js";
import { nearest } from "../../src/config/suggest.js";
import type { VariableMap } from "./input.js";
import type { TemplateSource } from "./load.js";
import type { MissingVariable } from "./substitute.js";

/**
 * Placeholders with no value in this environment, as one InputError: each names the file, the JSON path and
 * line:column where the placeholder is written, and the variables that do exist.
 */
export function missingVariablesError(source: TemplateSource, environment: string, missing: MissingVariable[], variables: VariableMap): InputError {
  const defined = Object.keys(variables).sort();
  const known = defined.length > 0 ? `The variables defined for ${environment} are: ${defined.join(", ")}.` : `No variables are defined for ${environment}.`;
  const problems: Problem[] = missing.map(({ name, pointer }) => {
    const path = joinPointer(source.pointer, ...pointerSegments(pointer));
    const guess = nearest(name, defined);
    return {
      file: source.doc.file,
      path: path === "" ? "/" : path,
      ...source.doc.positionOf(path),
      message: `The variable \${${name}} is not defined for the environment "${environment}".`,
      hint: `${guess ? `Did you mean \${${guess}}? ` : ""}${known} Add ${name} under variables: default: or variables: ${environment}: in the step file.`,
    };
  });
  const count = problems.length === 1 ? "1 undefined variable" : `${problems.length} undefined variables`;
  return new InputError(`${count} in the task definition template for ${environment}.`, "Define them in the step's variables:, or remove the placeholders.", problems);
}
