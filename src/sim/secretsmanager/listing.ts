import type { ListSecretsRequest } from "@aws-sdk/client-secrets-manager";
import type { Handler } from "../module.js";
import { paginate } from "../paging.js";
import { ownEntry } from "../own.js";
import { secretsPaging, validationError } from "./errors.js";
import { matchesFilters, validFilters } from "./filters.js";
import { secretsState } from "./lookup.js";
import { listEntry } from "./secret-view.js";
import type { SecretRecord } from "./state.js";

/**
 * ListSecrets: the region's secrets matching the filters, without those scheduled for deletion unless asked,
 * by CreatedDate (or SortBy) in SortOrder. AWS does not document the default order; oldest first is assumed.
 */
const instant = (at: Date | undefined) => String(at?.getTime() ?? 0).padStart(15, "0");

const sortKeys: Record<string, (secret: SecretRecord) => string> = {
  "created-date": (s) => instant(s.createdAt),
  "last-changed-date": (s) => instant(s.lastChangedAt),
  "last-accessed-date": (s) => instant(s.lastAccessedAt),
  name: () => "",
};

export const listingOperations: Record<string, Handler> = {
  ListSecrets(input: ListSecretsRequest, ctx) {
    const sortOrder = input.SortOrder ?? "asc";
    if (sortOrder !== "asc" && sortOrder !== "desc") throw validationError(`1 validation error detected: Value '${String(sortOrder)}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]`);
    const sortBy = ownEntry(sortKeys, input.SortBy ?? "created-date");
    if (!sortBy) throw validationError(`1 validation error detected: Value '${String(input.SortBy)}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(sortKeys).join(", ")}]`);
    const filters = validFilters(input.Filters);
    // The name ends every key, so keys are unique and a page boundary is a point in the order.
    const keyOf = (secret: SecretRecord) => `${sortBy(secret)}\u0000${secret.name}`;
    const matching = [...secretsState(ctx).secrets.values()]
      .filter((s) => (input.IncludePlannedDeletion === true || !s.deletion) && matchesFilters(s, filters))
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    if (sortOrder === "desc") matching.reverse();
    const page = paginate(matching, keyOf, { maxResults: input.MaxResults, nextToken: input.NextToken }, { max: 100, defaultSize: 100, errors: secretsPaging }, sortOrder === "desc");
    return { SecretList: page.items.map(listEntry), ...(page.nextToken && { NextToken: page.nextToken }) };
  },
};
