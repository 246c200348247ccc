import type { Problem } from "../errors.js";
import { joinPointer, pointerSegments } from "./pointer.js";
import type { ProjectVariables } from "./process-model.js";
import { nearest } from "./suggest.js";
import { mergeVariables } from "../releases/secrets.js";
import type { LoadedTaskDefinitionStep } from "../../steps/task-definition/load.js";
import { variablesFor, type VariableMap } from "../../steps/task-definition/input.js";
import { substitute } from "../../steps/task-definition/substitute.js";

/** A task definition step of the process, and the environments it runs in (all of them when it names none). */
export interface PlaceholderStep {
  loaded: LoadedTaskDefinitionStep;
  environments?: readonly string[];
}

/** The project's variables as names with values: a secret counts as defined (its placeholder becomes an ECS secret). */
function asVariableMaps(variables: ProjectVariables): Record<string, VariableMap> {
  return Object.fromEntries(Object.entries(variables).map(([scope, values]) => [scope, Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === "object" ? "(secret)" : value]))]));
}

/**
 * Every ${NAME} of every task definition template has a value in every environment its step runs in — the
 * step's variables over the project's, as a deployment merges them — so a release is never frozen with a
 * placeholder that only a deployment would find. One problem per placeholder, naming the environments it lacks.
 */
export function unresolvedPlaceholderProblems(steps: readonly PlaceholderStep[], project: ProjectVariables, environments: readonly string[]): Problem[] {
  const projectMaps = asVariableMaps(project);
  const problems: Problem[] = [];
  for (const { loaded, environments: only } of steps) {
    const variables = mergeVariables(projectMaps, loaded.input.variables);
    const lacking = new Map<string, { name: string; pointer: string; environments: string[]; defined: Set<string> }>();
    for (const environment of environments.filter((e) => only === undefined || only.includes(e))) {
      const values = variablesFor({ variables }, environment);
      for (const { name, pointer } of substitute(loaded.input.template, values).missing) {
        const entry = lacking.get(`${pointer}#${name}`) ?? { name, pointer, environments: [], defined: new Set<string>() };
        entry.environments.push(environment);
        Object.keys(values).forEach((v) => entry.defined.add(v));
        lacking.set(`${pointer}#${name}`, entry);
      }
    }
    const source = loaded.templateSource;
    for (const { name, pointer, environments: missingIn, defined } of lacking.values()) {
      const path = joinPointer(source.pointer, ...pointerSegments(pointer));
      const guess = nearest(name, [...defined]);
      const where = missingIn.length === environments.length ? "any environment" : missingIn.join(", ");
      problems.push({
        file: source.doc.file,
        path: path === "" ? "/" : path,
        ...source.doc.positionOf(path),
        message: `The variable \${${name}} has no value in ${where}.`,
        hint: `${guess ? `Did you mean \${${guess}}? ` : ""}Define ${name} under variables: in slipway.yaml (default: for every environment, or ${missingIn[0]}: and the others), or in the step file's variables:.`,
      });
    }
  }
  return problems;
}
