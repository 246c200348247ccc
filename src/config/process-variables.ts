import type { Problem } from "../errors.js";
import type { SecretVariable, SnapshotVariable } from "../releases/release.js";
import { problemAt } from "../../steps/step-file.js";
import { exampleEntry } from "./example.js";
import { joinPointer } from "./pointer.js";
import type { ProjectVariables } from "./process-model.js";
import { isRecord } from "./raw.js";
import type { SourceDocument } from "./source.js";
import { nearest } from "./suggest.js";

export interface VariablesCheck {
  variables: ProjectVariables;
  problems: Problem[];
}

/** A secret as the file wrote it, once it has exactly one source; undefined otherwise (a problem says why). */
function secretOf(value: Record<string, unknown>): SecretVariable | undefined {
  if (value.secret !== true) return undefined;
  if (typeof value.fromEnv === "string" && value.valueFrom === undefined) return { secret: true, fromEnv: value.fromEnv };
  if (typeof value.valueFrom === "string" && value.fromEnv === undefined) return { secret: true, valueFrom: value.valueFrom };
  return undefined;
}

function sourceProblem(doc: SourceDocument, pointer: string, name: string, value: Record<string, unknown>): Problem | undefined {
  if (value.secret !== true) return undefined;
  const hasEnv = value.fromEnv !== undefined;
  const hasArn = value.valueFrom !== undefined;
  if (hasEnv !== hasArn) return undefined;
  return hasEnv
    ? problemAt(doc, joinPointer(pointer, "valueFrom"), `The secret ${name} gives both fromEnv and valueFrom; a secret comes from one place.`, "Keep fromEnv (slipway keeps the value in a Secrets Manager secret it owns) or valueFrom (a secret your team manages), not both.", "key")
    : problemAt(doc, pointer, `The secret ${name} says neither where its value comes from.`, `Add ${exampleEntry(doc.syntax, "fromEnv", `SHOP_${name}`)} (read at deploy time) or valueFrom: <the ARN of a Secrets Manager secret or SSM parameter>.`);
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
    const kept: Record<string, SnapshotVariable> = {};
    for (const [name, v] of Object.entries(map)) {
      if (isRecord(v)) {
        const problem = sourceProblem(doc, joinPointer("/variables", scope, name), name, v);
        if (problem) problems.push(problem);
        // A secret keeps only its reference: a value read from the environment is never stored.
        const secret = secretOf(v);
        if (secret) kept[name] = secret;
      } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
        kept[name] = v;
      }
    }
    variables[scope] = kept;
  }
  return { variables, problems };
}
