import { Router } from "express";
import { projectStatus } from "../../releases/status.js";
import { callerOf, requireRead } from "../auth.js";
import type { ApiContext } from "../context.js";
import { parseLimit } from "../params.js";
import { environmentHistory } from "../views/history.js";

/** GET /status (environments × releases) and GET /environments/{env}/history. */
export function statusRouter(ctx: ApiContext): Router {
  const router = Router();

  router.get("/status", async (_req, res) => {
    requireRead(callerOf(res));
    ctx.send(res, 200, await projectStatus(ctx.store, ctx.project.lifecycle));
  });

  router.get("/environments/:environment/history", async (req, res) => {
    requireRead(callerOf(res));
    const { environment } = req.params;
    ctx.project.lifecycle.get(environment);
    const limit = parseLimit(req.query.limit, 50);
    ctx.send(res, 200, await environmentHistory(ctx.store, environment, ctx.project.targets.get(environment), limit));
  });

  return router;
}
