import { InputError } from "../errors.js";
import type { VariableMap } from "../../steps/task-definition/input.js";
import type { Redactor } from "./redactor.js";
import type { SnapshotVariable } from "./release.js";

/**
 * The release's variables for one deployment with every secret read from the deploying process's environment
 * (they are never stored) and registered with the redactor. Every missing secret is reported at once, before
 * anything is deployed.
 */
export function resolveVariables(variables: Record<string, Record<string, SnapshotVariable>>, env: NodeJS.ProcessEnv, redactor: Redactor): Record<string, VariableMap> {
  const missing: string[] = [];
  const resolved: Record<string, VariableMap> = {};
  for (const [scope, values] of Object.entries(variables)) {
    const out: VariableMap = {};
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== "object") {
        out[name] = value;
        continue;
      }
      const secret = env[value.fromEnv];
      if (secret === undefined || secret === "") {
        missing.push(`${name} (${scope}) from $${value.fromEnv}`);
        continue;
      }
      if (secret.length < 4) throw new InputError(`The secret variable ${name} read from $${value.fromEnv} is shorter than 4 characters.`, "slipway redacts secrets from every output and cannot tell one that short from ordinary text; use a real secret.");
      redactor.add(secret);
      out[name] = secret;
    }
    resolved[scope] = out;
  }
  if (missing.length > 0) {
    throw new InputError(`Secret variables are not set in this process's environment: ${missing.join(", ")}.`, "Export them before deploying (they are read at deploy time and never stored), e.g. export SHOP_DB_PASSWORD=….");
  }
  return resolved;
}

/** Project variables under the step's own: per scope, the step's value wins, and any environment scope beats "default". */
export function mergeVariables(project: Record<string, VariableMap>, step: Record<string, VariableMap>): Record<string, VariableMap> {
  const scopes = new Set([...Object.keys(project), ...Object.keys(step)]);
  return Object.fromEntries([...scopes].map((scope) => [scope, { ...project[scope], ...step[scope] }]));
}
