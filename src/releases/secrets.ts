import { InputError } from "../errors.js";
import type { VariableMap } from "../../steps/task-definition/input.js";
import type { SecretSource } from "../../steps/task-definition/secret-sources.js";
import { minimumSecretLength, type Redactor } from "./redactor.js";
import type { SnapshotVariable } from "./release.js";

/** One deployment's variables: plain values by scope, and where each secret's value comes from. */
export interface ResolvedVariables {
  /** "default" and the environment's own scope, plain values only: a secret never becomes a plain value. */
  variables: Record<string, VariableMap>;
  /** The environment's secret variables (its own scope over default's). */
  secrets: SecretSource[];
}

/**
 * The Secrets Manager secret slipway keeps a fromEnv secret in: one per project, environment and variable, so
 * environments sharing an account never read each other's, and an IAM policy can grant a project's by prefix.
 */
export function ownedSecretName(project: string, environment: string, variable: string): string {
  return `slipway/${project}/${environment}/${variable}`;
}

/**
 * The release's variables for a deployment to one environment. Only that environment's scopes are read, so a
 * dev pipeline never needs prod's secrets. Each fromEnv secret is read from the deploying process's environment
 * (never stored) and registered with the redactor; every missing one is reported at once, before anything is
 * deployed.
 */
export function resolveVariables(variables: Record<string, Record<string, SnapshotVariable>>, scope: { project: string; environment: string }, env: NodeJS.ProcessEnv, redactor: Redactor): ResolvedVariables {
  const { project, environment } = scope;
  const scopes = ["default", environment].filter((s) => variables[s] !== undefined);
  const plain: Record<string, VariableMap> = {};
  const effective = new Map<string, SnapshotVariable>();
  for (const name of scopes) {
    plain[name] = {};
    for (const [variable, value] of Object.entries(variables[name] ?? {})) {
      effective.set(variable, value);
      if (typeof value !== "object") plain[name][variable] = value;
    }
  }
  const missing: string[] = [];
  const secrets: SecretSource[] = [];
  for (const [variable, value] of effective) {
    if (typeof value !== "object") continue;
    if ("valueFrom" in value) {
      secrets.push({ variable, kind: "reference", valueFrom: value.valueFrom });
      continue;
    }
    const secret = env[value.fromEnv];
    if (secret === undefined || secret === "") {
      missing.push(`${variable} from $${value.fromEnv}`);
      continue;
    }
    if (secret.length < minimumSecretLength) {
      throw new InputError(`The secret variable ${variable} read from $${value.fromEnv} is shorter than ${minimumSecretLength} characters.`, "slipway masks secrets in everything it writes, and one that short would also mask ordinary ids, ports and dates; use a real secret.");
    }
    redactor.add(secret);
    secrets.push({ variable, kind: "owned", name: ownedSecretName(project, environment, variable), project, value: secret });
  }
  if (missing.length > 0) {
    throw new InputError(`Secret variables for ${environment} are not set in this process's environment: ${missing.join(", ")}.`, "Export them before deploying (they are read at deploy time and kept only in AWS Secrets Manager), e.g. export SHOP_DB_PASSWORD=….");
  }
  return { variables: plain, secrets };
}

/** Project variables under the step's own: per scope, the step's value wins, and any environment scope beats "default". */
export function mergeVariables(project: Record<string, VariableMap>, step: Record<string, VariableMap>): Record<string, VariableMap> {
  const scopes = new Set([...Object.keys(project), ...Object.keys(step)]);
  return Object.fromEntries([...scopes].map((scope) => [scope, { ...project[scope], ...step[scope] }]));
}

/** The project's variables without the secret ones: what a task definition may be rendered with outside a deployment. */
export function plainVariables(variables: Record<string, Record<string, SnapshotVariable>>): Record<string, VariableMap> {
  return Object.fromEntries(Object.entries(variables).map(([scope, values]) => [scope, Object.fromEntries(Object.entries(values).filter((entry): entry is [string, VariableMap[string]] => typeof entry[1] !== "object"))]));
}
