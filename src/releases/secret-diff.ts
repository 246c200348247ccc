/**
 * A task definition diff compares with the revision running now, whose environment may hold a secret's previous
 * value (before it was rotated) — one no redactor knows. So the values of environment entries that a secret
 * variable feeds are masked on both sides of the diff, whatever they hold.
 */

/** Names of the template's container environment entries whose value uses one of the secret variables. */
export function secretEnvironmentNames(template: Record<string, unknown>, secretVariables: readonly string[]): Set<string> {
  const names = new Set<string>();
  if (secretVariables.length === 0) return names;
  const containers = Array.isArray(template.containerDefinitions) ? template.containerDefinitions : [];
  for (const container of containers as { environment?: unknown }[]) {
    const entries = Array.isArray(container.environment) ? (container.environment as { name?: unknown; value?: unknown }[]) : [];
    for (const entry of entries) {
      if (typeof entry.name !== "string" || typeof entry.value !== "string") continue;
      const value = entry.value;
      if (secretVariables.some((v) => value.includes(`\${${v}}`))) names.add(entry.name);
    }
  }
  return names;
}

/** The diff's lines (pretty JSON, "name" before "value" in each entry) with those entries' values masked. */
export function maskSecretEnvironment(lines: readonly string[], names: ReadonlySet<string>): string[] {
  if (names.size === 0) return [...lines];
  let masking = false;
  return lines.map((line) => {
    const name = /^[ +-]\s*"name": "(.*)",?$/.exec(line)?.[1];
    if (name !== undefined) {
      masking = names.has(name);
      return line;
    }
    // The entry ends at its closing brace; until then its value lines (old and new) are masked.
    if (/^[ +-]\s*\},?$/.test(line)) masking = false;
    if (masking && /^[ +-]\s*"value": /.test(line)) return line.replace(/"value": ".*"(,?)$/, '"value": "***"$1');
    return line;
  });
}

/** The release's secret variables, by name, in any scope. */
export function secretVariableNames(variables: Record<string, Record<string, unknown>>): string[] {
  return [...new Set(Object.values(variables).flatMap((scope) => Object.entries(scope).filter(([, v]) => typeof v === "object" && v !== null).map(([k]) => k)))];
}
