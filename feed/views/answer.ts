import type { CachedAnswer } from "../catalog/cache.js";

/** A response body and how current it is: stale when any cached answer it was built from is. */
export interface Answer<B> {
  body: B & { stale: boolean };
  readAt: number;
}

export function answerFrom<B>(body: B, sources: readonly CachedAnswer<unknown>[]): Answer<B> {
  const stale = sources.some((s) => s.stale);
  const readAt = Math.min(...sources.map((s) => s.readAt));
  return { body: { ...body, stale }, readAt };
}
