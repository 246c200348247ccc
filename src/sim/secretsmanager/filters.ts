import type { Filter } from "@aws-sdk/client-secrets-manager";
import { validationError } from "./errors.js";
import type { SecretRecord } from "./state.js";

/**
 * ListSecrets' Filters. Each filter must match (AND); any of its values may (OR); a value starting with "!"
 * matches secrets that the rest of it does not. name, tag-key and tag-value are case-sensitive prefix matches,
 * description a case-insensitive one; "all" splits the value into words and looks for each, as a prefix of a
 * word and ignoring case, in the name, description, tag keys and tag values. The simulator has no replicated or
 * service-owned secrets, so primary-region and owning-service match none.
 */
const keys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

/** Words as Secrets Manager's search splits them: at punctuation, between letters and digits, and before a capital. */
function words(text: string): string[] {
  return text.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
}

function attributes(secret: SecretRecord, key: string): string[] {
  switch (key) {
    case "name":
      return [secret.name];
    case "description":
      return secret.description !== undefined ? [secret.description] : [];
    case "tag-key":
      return secret.tags.map((t) => t.Key ?? "");
    case "tag-value":
      return secret.tags.map((t) => t.Value ?? "");
    case "all":
      return [secret.name, ...(secret.description !== undefined ? [secret.description] : []), ...secret.tags.flatMap((t) => [t.Key ?? "", t.Value ?? ""])];
    default:
      return [];
  }
}

function matchesValue(key: string, value: string, candidates: string[]): boolean {
  if (key === "all") {
    const haystack = candidates.flatMap(words).map((w) => w.toLowerCase());
    const wanted = words(value).map((w) => w.toLowerCase());
    return wanted.length > 0 && wanted.every((w) => haystack.some((h) => h.startsWith(w)));
  }
  if (key === "description") return candidates.some((c) => c.toLowerCase().startsWith(value.toLowerCase()));
  return candidates.some((c) => c.startsWith(value));
}

function matchesFilter(secret: SecretRecord, filter: Filter): boolean {
  const key = filter.Key ?? "";
  const candidates = attributes(secret, key);
  return (filter.Values ?? []).some((value) => (value.startsWith("!") ? !matchesValue(key, value.slice(1), candidates) : matchesValue(key, value, candidates)));
}

export function validFilters(filters: Filter[] | undefined): Filter[] {
  const list = filters ?? [];
  for (const [i, filter] of list.entries()) {
    if (!keys.includes(filter.Key ?? "")) {
      throw validationError(`1 validation error detected: Value '${filter.Key ?? "null"}' at 'filters.${i + 1}.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${keys.join(", ")}]`);
    }
  }
  return list;
}

export function matchesFilters(secret: SecretRecord, filters: Filter[]): boolean {
  return filters.every((filter) => matchesFilter(secret, filter));
}
