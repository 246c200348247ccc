import type { TaskDefinition } from "@aws-sdk/client-ecs";

/** What a masked entry's value reads instead. */
export const maskedValue = "***";

/**
 * The task definition with the values of the named container environment entries replaced by "***". Revisions
 * registered before slipway moved secrets into `secrets` (which ECS resolves when a task starts) hold a secret's
 * value itself in `environment`, and a revision never changes: only the answer can hide it. The cached
 * description is left as it is; a copy is masked.
 */
export function maskedDefinition(definition: TaskDefinition, secretNames: ReadonlySet<string>): TaskDefinition {
  if (secretNames.size === 0 || !definition.containerDefinitions) return definition;
  return {
    ...definition,
    containerDefinitions: definition.containerDefinitions.map((container) =>
      container.environment ? { ...container, environment: container.environment.map((entry) => (entry.name !== undefined && secretNames.has(entry.name) ? { ...entry, value: maskedValue } : entry)) } : container,
    ),
  };
}
