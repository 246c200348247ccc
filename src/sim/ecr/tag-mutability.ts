import type { ImageTagMutabilityExclusionFilter } from "@aws-sdk/client-ecr";
import { constraintFailed, unreadable } from "./errors.js";
import type { RepositoryRecord, TagMutability } from "./state.js";

/**
 * A repository's tag mutability, as the model's ImageTagMutability has it: MUTABLE and IMMUTABLE apply to every tag;
 * IMMUTABLE_WITH_EXCLUSION makes every tag immutable but those its exclusion filters match, MUTABLE_WITH_EXCLUSION
 * every tag mutable but those they match. A filter (ImageTagMutabilityExclusionFilter) is a WILDCARD pattern of
 * 1–128 characters from [0-9a-zA-Z._*-], "*" matching any run of characters; a repository has 1 to 5 of them.
 *
 * AWS refuses an *_WITH_EXCLUSION setting without filters in the words `withoutFilters` uses (InvalidParameterException,
 * as seen answered to CloudFormation); the other refusals' words are the simulator's own, in ECR's frame.
 */
export const TAG_MUTABILITIES: readonly TagMutability[] = ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"];
const FILTER_TYPES = ["WILDCARD"];
const filterPattern = /^[0-9a-zA-Z._*-]{1,128}$/;
const MAX_FILTERS = 5;

export interface TagMutabilitySetting {
  mutability: TagMutability;
  /** Absent unless the mutability is an *_WITH_EXCLUSION one. */
  exclusionFilters?: ImageTagMutabilityExclusionFilter[];
}


const withExclusion = (mutability: TagMutability) => mutability === "IMMUTABLE_WITH_EXCLUSION" || mutability === "MUTABLE_WITH_EXCLUSION";

function exclusionFilter(value: unknown, at: string): ImageTagMutabilityExclusionFilter {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw unreadable(at, "a structure");
  const { filterType, filter } = value as { filterType?: unknown; filter?: unknown };
  if (filterType === undefined || filterType === null) throw constraintFailed(`${at}.filterType`, "Member must not be null");
  if (typeof filterType !== "string" || !FILTER_TYPES.includes(filterType)) throw constraintFailed(`${at}.filterType`, `Member must satisfy enum value set: [${FILTER_TYPES.join(", ")}]`);
  if (filter === undefined || filter === null) throw constraintFailed(`${at}.filter`, "Member must not be null");
  if (typeof filter !== "string" || !filterPattern.test(filter)) throw constraintFailed(`${at}.filter`, `Member must satisfy regular expression pattern: ${filterPattern.source} and have a length between 1 and 128`);
  return { filterType: "WILDCARD", filter };
}

/** CreateRepository's imageTagMutability (MUTABLE when absent) and imageTagMutabilityExclusionFilters, checked. */
export function tagMutabilitySetting(mutabilityValue: unknown, filtersValue: unknown): TagMutabilitySetting {
  const mutability = (mutabilityValue ?? "MUTABLE") as TagMutability;
  if (typeof mutability !== "string" || !TAG_MUTABILITIES.includes(mutability)) {
    throw constraintFailed("imageTagMutability", `Member must satisfy enum value set: [${TAG_MUTABILITIES.join(", ")}]`);
  }
  const at = "imageTagMutabilityExclusionFilters";
  if (filtersValue === undefined || filtersValue === null) {
    if (withExclusion(mutability)) throw constraintFailed(at, `ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as ${mutability}`);
    return { mutability };
  }
  if (!Array.isArray(filtersValue)) throw unreadable(at, "a list");
  if (filtersValue.length < 1 || filtersValue.length > MAX_FILTERS) throw constraintFailed(at, `Member must have length between 1 and ${MAX_FILTERS}`);
  const exclusionFilters = filtersValue.map((filter, i) => exclusionFilter(filter, `${at}.${i + 1}.member`));
  if (!withExclusion(mutability)) throw constraintFailed(at, `ImageTagMutabilityExclusionFilters are only allowed when imageTagMutability is set as IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not ${mutability}`);
  return { mutability, exclusionFilters };
}

/**
 * Whether a wildcard filter matches the whole tag: "*" is any run of characters, anything else itself. Walked with
 * one step back to the last star, at most filter × tag steps: a RegExp of ".*" runs backtracks exponentially on a
 * filter such as *a*a*a*…*b, which the model allows, and would hold the whole simulator up.
 */
export function matches(filter: string, tag: string): boolean {
  let f = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < tag.length) {
    if (filter[f] === "*") {
      star = f++;
      resume = t;
    } else if (f < filter.length && filter[f] === tag[t]) {
      f++;
      t++;
    } else if (star >= 0) {
      f = star + 1;
      t = ++resume;
    } else return false;
  }
  while (filter[f] === "*") f++;
  return f === filter.length;
}

/** Whether a tag the repository already has may not move to another image. */
export function tagIsImmutable(repository: RepositoryRecord, tag: string): boolean {
  const excluded = (repository.imageTagMutabilityExclusionFilters ?? []).some((f) => f.filter !== undefined && matches(f.filter, tag));
  switch (repository.imageTagMutability) {
    case "IMMUTABLE":
      return true;
    case "IMMUTABLE_WITH_EXCLUSION":
      return !excluded;
    case "MUTABLE_WITH_EXCLUSION":
      return excluded;
    default:
      return false;
  }
}
