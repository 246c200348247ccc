import type { Request, Response } from "express";
import type { Clock } from "./catalog/cache.js";
import { etagOf, ifNoneMatchHits } from "./etag.js";
import type { Answer } from "./views/answer.js";

/** The header that says an answer is the last good one, served because ECS failed to give a newer one. */
export const staleHeader = "x-slipway-stale";

/**
 * Sends an answer as JSON with its entity tag, or 304 when the client already holds it. no-cache makes
 * clients revalidate each time, which is cheap: a matching tag costs neither ECS nor a body.
 */
export function sendAnswer<B>(req: Request, res: Response, answer: Answer<B>, clock: Clock, redact?: <T>(body: T) => T): void {
  const json = JSON.stringify(redact ? redact(answer.body) : answer.body);
  const etag = etagOf(json);
  res.setHeader("ETag", etag);
  res.setHeader("Cache-Control", "no-cache");
  res.setHeader("Age", String(Math.max(0, Math.floor((clock() - answer.readAt) / 1000))));
  if (answer.body.stale) res.setHeader(staleHeader, "true");
  if (ifNoneMatchHits(req.get("if-none-match"), etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type("application/json").send(json);
}
