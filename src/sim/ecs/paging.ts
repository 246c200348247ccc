import { invalidParameter } from "../aws-error.js";

/**
 * Key-based paging shared by the simulator's List/Describe operations. The token records the sort key of the
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
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), "utf8").toString("base64url");
}

/** The sort key a token resumes after; InvalidParameterException when the token is not one we issued. */
export function decodeToken(token: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (value && typeof value === "object" && typeof (value as { after?: unknown }).after === "string") {
      return (value as { after: string }).after;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidParameter("Invalid token");
}

export function pageSize(maxResults: number | undefined, limits: PageLimits): number {
  if (maxResults === undefined || maxResults === null) return limits.defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limits.max) {
    throw invalidParameter(`maxResults must be between 1 and ${limits.max}`);
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
    const after = decodeToken(request.nextToken);
    const index = items.findIndex((item) => (descending ? keyOf(item) < after : keyOf(item) > after));
    start = index < 0 ? items.length : index;
  }
  const slice = items.slice(start, start + size);
  const last = slice[slice.length - 1];
  const more = start + size < items.length;
  return { items: slice, ...(more && last !== undefined && { nextToken: encodeToken(keyOf(last)) }) };
}
