import type { ProjectProcess } from "../config/process-model.js";
import { secretEnvironmentNames, secretVariableNames } from "./secret-diff.js";
import { loadTaskDefinitionStep } from "../../steps/task-definition/load.js";

/**
 * The names a template passes to its containers as ECS secrets (`secrets: [{ name, valueFrom }]`). Before
 * slipway moved secrets there, a revision held the same name in plain `environment`, with the value.
 */
function secretsEntryNames(template: Record<string, unknown>): string[] {
  const containers = Array.isArray(template.containerDefinitions) ? (template.containerDefinitions as { secrets?: unknown }[]) : [];
  return containers.flatMap((container) => (Array.isArray(container.secrets) ? (container.secrets as { name?: unknown }[]) : [])).flatMap((s) => (typeof s.name === "string" ? [s.name] : []));
}

/**
 * The container environment entries of a project's task definitions that carry secrets, for the feed to mask
 * (FeedAppOptions.secretEnvironmentNames): every secret variable's name in the project's variables:, every
 * entry of a task-definition step's template whose value uses a secret variable (`DATABASE_URL:
 * postgres://app:${DB_PASSWORD}@db`), and every name the template passes as an ECS secret. Reads each
 * task-definition step's file again: the process keeps where a step is, not its template. The process was
 * checked when it was loaded, so its step files load.
 */
export function projectSecretEnvironmentNames(process: ProjectProcess): Set<string> {
  const secretVariables = secretVariableNames(process.variables);
  const names = new Set(secretVariables);
  for (const step of process.steps) {
    if (step.uses !== "task-definition") continue;
    const { template } = loadTaskDefinitionStep(step.file).input;
    for (const name of [...secretEnvironmentNames(template, secretVariables), ...secretsEntryNames(template)]) names.add(name);
  }
  return names;
}
