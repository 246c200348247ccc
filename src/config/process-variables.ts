import type { Problem } from "../errors.js";
import type { SnapshotVariable } from "../releases/release.js";
import { problemAt } from "../../steps/step-file.js";
import { joinPointer } from "./pointer.js";
import type { ProjectVariables } from "./process-model.js";
import { isRecord } from "./raw.js";
import type { SourceDocument } from "./source.js";
import { nearest } from "./suggest.js";

export interface VariablesCheck {
  variables: ProjectVariables;
  problems: Problem[];
}

/** A value as the schema allows it: text, a number, true/false, or a secret reference. */
function isVariable(value: unknown): value is SnapshotVariable {
  if (isRecord(value)) return value.secret === true && typeof value.fromEnv === "string";
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/**
 * The variables: of a project document: each scope is default or an environment of the project (the schema
 * checks names and values). Reads leniently, like the steps, and keeps only values of the allowed shapes.
 */
export function checkVariables(doc: SourceDocument, environments: readonly string[]): VariablesCheck {
  const value = isRecord(doc.value) ? doc.value.variables : undefined;
  if (!isRecord(value)) return { variables: {}, problems: [] };
  const problems: Problem[] = [];
  const variables: ProjectVariables = {};
  for (const [scope, map] of Object.entries(value)) {
    if (scope !== "default" && !environments.includes(scope)) {
      const guess = nearest(scope, ["default", ...environments]);
      const known = `The scopes are default (every environment) and the environments: ${environments.join(", ")}.`;
      problems.push(problemAt(doc, joinPointer("/variables", scope), `variables: has values for "${scope}", which is not an environment of the project.`, guess ? `Did you mean "${guess}"? ${known}` : known, "key"));
    }
    if (!isRecord(map)) continue;
    // A secret keeps only its reference: the value itself is read at deploy time and never stored.
    variables[scope] = Object.fromEntries(Object.entries(map).flatMap(([name, v]) => (isVariable(v) ? [[name, isRecord(v) ? { secret: true, fromEnv: v.fromEnv } : v]] : [])));
  }
  return { variables, problems };
}
