import { Router } from "express";
import { ConflictError } from "../../errors.js";
import { startDeployment } from "../../releases/deployments.js";
import { lastGoodRelease, rollbackTarget } from "../../releases/environment-rollback.js";
import { unfinishedDeployment } from "../../releases/unfinished.js";
import { abortThroughServer } from "../abort-run.js";
import { callerOf, requireIn } from "../auth.js";
import { runInBackground } from "../background.js";
import { BodyReader } from "../body.js";
import type { ApiContext } from "../context.js";

/**
 * POST /environments/{environment}/rollback: `slipway rollback --env` — the environment back to its last
 * successful release (or `to`), as a deployment of that release which replaces the newer one and moves traffic
 * at once. Answers 202 and runs it in the server's process, as POST /deployments does. A deployment unfinished
 * there is aborted instead (answered with that run): it still has what ran before, so traffic returns at once.
 */
export function environmentRollbackRouter(ctx: ApiContext): Router {
  const router = Router();
  router.post("/environments/:environment/rollback", async (req, res) => {
    const caller = callerOf(res);
    const environment = req.params.environment as string;
    const body = new BodyReader(req.body, ["to"]);
    const to = body.string("to", { hint: "A release that succeeded in this environment; leave it out for the last one before what runs there now.", max: 128 });
    body.done();
    ctx.project.lifecycle.get(environment);
    // The key's scope before anything about the environment's runs is told.
    requireIn(caller, "deploy", environment);
    const unfinished = await unfinishedDeployment(ctx.store, environment);
    if (unfinished) {
      // Its services still run what ran before it: aborting it moves traffic back at once (see abortFirst in the CLI).
      const back = await lastGoodRelease(ctx.store, environment);
      if (to !== undefined && to !== back) {
        throw new ConflictError(
          `Deployment ${unfinished.id} of release ${unfinished.release} is ${unfinished.status} in ${environment}: it is rolled back first${back ? `, to release ${back},` : ""} before release ${to} can be deployed there.`,
          `Roll back without "to" (it aborts ${unfinished.id}: traffic returns at once to what ran before), then ask again with to: ${to}.`,
        );
      }
      await abortThroughServer(ctx, unfinished, { by: caller.name, reason: `rollback of ${environment}` });
      res.location(`/api/v1/deployments/${encodeURIComponent(unfinished.id)}`);
      ctx.send(res, 202, (await ctx.store.runs.get(unfinished.id)) ?? unfinished);
      return;
    }
    const target = await rollbackTarget(ctx.store, environment, to);
    const started = await startDeployment(ctx.deploying, { release: target.release, environment, actor: caller.name, env: ctx.env, replaces: target.replaces });
    void runInBackground(ctx.store, started.run, (options) => started.execute(options), ctx.background);
    res.location(`/api/v1/deployments/${encodeURIComponent(started.run.id)}`);
    ctx.send(res, 202, started.run);
  });
  return router;
}
