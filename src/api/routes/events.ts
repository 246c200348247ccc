import { setTimeout as sleep } from "node:timers/promises";
import { Router, type Response } from "express";
import type { DeploymentEvent } from "../../engine/store.js";
import { finalStatuses } from "../../releases/deployment-run.js";
import { callerOf, requireRead } from "../auth.js";
import type { ApiContext } from "../context.js";
import { parseAfter } from "../params.js";
import { processReleaseOf } from "../views/deployment.js";
import { runNamed } from "./deployments.js";

/** How often an idle stream looks whether its run ended without a done event (or the client started after it). */
const endCheckMs = 1000;

const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");

function frame(event: DeploymentEvent): string {
  // JSON.stringify writes no raw line breaks, so data: is one line.
  return `id: ${event.id}\nevent: ${oneLine(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * GET /deployments/{id}/events, as server-sent events: the events after Last-Event-ID (or ?after=), then each new
 * one as it is written — by this process or another, so the store is polled — until the deployment's done event.
 * An idle stream gets a comment line every heartbeat, so proxies do not close it.
 */
export function eventsRouter(ctx: ApiContext): Router {
  const router = Router();

  router.get("/deployments/:id/events", async (req, res: Response) => {
    requireRead(callerOf(res));
    const run = await runNamed(ctx.store, req.params.id);
    const release = await processReleaseOf(ctx.store, run);
    if (release) ctx.redactor.learnRelease(release);
    let after = parseAfter(req.get("last-event-id"), req.query.after);
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
    res.flushHeaders();
    let lastWrite = Date.now();
    let lastEndCheck = 0;
    let endedAtLastCheck = false;
    while (!gone.signal.aborted) {
      const events = await ctx.store.events.since(run.id, after);
      for (const event of events) {
        res.write(frame(ctx.redactor.value(event)));
        after = event.id;
        lastWrite = Date.now();
        if (event.type === "done") {
          res.end();
          return;
        }
      }
      const now = Date.now();
      if (events.length === 0 && now - lastEndCheck >= endCheckMs) {
        lastEndCheck = now;
        // A run's done event is written just after its final status: the stream ends on a final status only when
        // it was already final at the previous check, with no event since.
        const current = await ctx.store.runs.get(run.id);
        const ended = !current || finalStatuses.includes(current.status);
        if (ended && endedAtLastCheck) {
          res.end();
          return;
        }
        endedAtLastCheck = ended;
      } else if (events.length > 0) {
        endedAtLastCheck = false;
      }
      if (now - lastWrite >= ctx.heartbeatMs) {
        res.write(": heartbeat\n\n");
        lastWrite = now;
      }
      await sleep(ctx.eventPollMs, undefined, { signal: gone.signal }).catch(() => undefined);
    }
  });

  return router;
}
