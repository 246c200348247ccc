import { invalidParameter, type AwsError } from "./aws-error.js";

/**
 * Key-based paging shared by the JSON services' List/Describe operations (ELBv2's markers are elbv2/paging.ts), each
 * answering a request it cannot page with its own codes (PageErrors). The token records the sort key of the
 * last item returned, not an offset, so a page boundary stays put when items are added or removed between
 * calls — the property callers rely on when they page through a listing that others are changing.
 */
export interface PageRequest {
  maxResults?: number | undefined;
  nextToken?: string | undefined;
}

export interface PageLimits {
  /** Largest maxResults the operation accepts (100 for ECS lists, 1000 for ECR). */
  max: number;
  /** How many items a page holds when maxResults is absent. */
  defaultSize: number;
  /** What the service answers a request it cannot page; ECS's InvalidParameterException when not given. */
  errors?: PageErrors;
}

/** The errors a service answers a page request with when it cannot serve it: each service has its own codes. */
export interface PageErrors {
  /** A token the service did not issue. */
  badToken(): AwsError;
  /** A maxResults that is not a whole number from 1 to `max`. */
  badSize(maxResults: number, max: number): AwsError;
}

/** ECS's (and ECR's): InvalidParameterException for either. */
export const invalidParameterPaging: PageErrors = {
  badToken: () => invalidParameter("Invalid token"),
  badSize: (_maxResults, max) => invalidParameter(`maxResults must be between 1 and ${max}`),
};

/**
 * The message of a JSON service's ValidationException for a maxResults outside its model's range, in the words AWS's
 * request validation uses for a number out of range ("Member must have value less than or equal to 50").
 */
export function maxResultsViolation(maxResults: number, max: number): string {
  const constraint = maxResults < 1 ? "greater than or equal to 1" : maxResults > max ? `less than or equal to ${max}` : `between 1 and ${max}`;
  return `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${constraint}`;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), "utf8").toString("base64url");
}

/** The sort key a token resumes after; the service's bad-token error when the token is not one it issued. */
export function decodeToken(token: string, errors: PageErrors = invalidParameterPaging): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (value && typeof value === "object" && typeof (value as { after?: unknown }).after === "string") {
      return (value as { after: string }).after;
    }
  } catch {
    // fall through to the error below
  }
  throw errors.badToken();
}

export function pageSize(maxResults: number | undefined, limits: PageLimits): number {
  if (maxResults === undefined || maxResults === null) return limits.defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limits.max) {
    throw (limits.errors ?? invalidParameterPaging).badSize(maxResults, limits.max);
  }
  return maxResults;
}

/**
 * One page of `items`, which are already in listing order and whose keys strictly increase (or decrease, for
 * `descending`) in that order.
 */
export function paginate<T>(items: T[], keyOf: (item: T) => string, request: PageRequest, limits: PageLimits, descending = false): Page<T> {
  const size = pageSize(request.maxResults, limits);
  let start = 0;
  if (request.nextToken) {
    const after = decodeToken(request.nextToken, limits.errors);
    const index = items.findIndex((item) => (descending ? keyOf(item) < after : keyOf(item) > after));
    start = index < 0 ? items.length : index;
  }
  const slice = items.slice(start, start + size);
  const last = slice[slice.length - 1];
  const more = start + size < items.length;
  return { items: slice, ...(more && last !== undefined && { nextToken: encodeToken(keyOf(last)) }) };
}
