import { Router } from "express";
import type { Store } from "../../engine/store.js";
import { NotFoundError } from "../../errors.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { releaseNamed, startDeployment } from "../../releases/deployments.js";
import { previewDeployment } from "../../releases/preview-deployment.js";
import { nextEnvironment } from "../../releases/promotion.js";
import { callerOf, requireIn, requireRead } from "../auth.js";
import { runInBackground } from "../background.js";
import { BodyReader } from "../body.js";
import type { ApiContext } from "../context.js";
import { parseLimit, parseStatuses, queryText } from "../params.js";
import { deploymentDetail, processReleaseOf } from "../views/deployment.js";

export async function runNamed(store: Store, id: string): Promise<DeploymentRun> {
  const run = await store.runs.get(id);
  if (!run) throw new NotFoundError(`There is no deployment ${id}.`, "GET /api/v1/deployments lists them.");
  return run;
}

/** /deployments: list, one, start. */
export function deploymentsRouter(ctx: ApiContext): Router {
  const router = Router();

  router.get("/deployments", async (req, res) => {
    requireRead(callerOf(res));
    const environment = queryText(req.query.environment, "environment");
    const release = queryText(req.query.release, "release");
    const status = parseStatuses(req.query.status);
    const limit = parseLimit(req.query.limit, 100);
    const runs = await ctx.store.runs.list({ ...(environment !== undefined && { environment }), ...(release !== undefined && { release }), ...(status !== undefined && { status }), limit });
    ctx.send(res, 200, { items: runs });
  });

  router.get("/deployments/:id", async (req, res) => {
    requireRead(callerOf(res));
    const run = await runNamed(ctx.store, req.params.id);
    const release = await processReleaseOf(ctx.store, run);
    if (release) ctx.redactor.learnRelease(release);
    ctx.send(res, 200, await deploymentDetail(ctx.store, run, ctx.project.targets.get(run.environment)));
  });

  router.post("/deployments", async (req, res) => {
    const caller = callerOf(res);
    const body = new BodyReader(req.body, ["release", "environment", "dryRun"]);
    const version = body.string("release", { required: true, hint: "The version of a release, e.g. 1.4.0.", max: 128 });
    const asked = body.string("environment", { hint: "An environment of the lifecycle; leave it out to promote to the next one.", max: 128 });
    const dryRun = body.boolean("dryRun", { hint: "true plans the deployment and changes nothing; false (the default) deploys." });
    body.done();
    // Everything that can refuse without writing is checked first, the key's scope before anything else is told:
    // a key that may not deploy learns nothing, not even whether the release exists.
    if (asked !== undefined) {
      ctx.project.lifecycle.get(asked);
      requireIn(caller, "deploy", asked);
    } else if (caller.scopes.deploy.length === 0) {
      requireIn(caller, "deploy", ctx.project.lifecycle.names.at(-1) as string);
    }
    const release = await releaseNamed(ctx.store, version as string);
    const environment = asked ?? nextEnvironment(ctx.project.lifecycle, release.version, await ctx.store.runs.list({ release: release.version }));
    if (environment !== undefined) requireIn(caller, "deploy", environment);
    if (dryRun) {
      ctx.send(res, 200, await previewDeployment(ctx.deploying, { release: release.version, ...(environment !== undefined && { environment }), env: ctx.env }));
      return;
    }
    const started = await startDeployment(ctx.deploying, { release: release.version, ...(environment !== undefined && { environment }), actor: caller.name, env: ctx.env });
    void runInBackground(ctx.store, started.run, (options) => started.execute(options), ctx.background);
    res.location(`/api/v1/deployments/${encodeURIComponent(started.run.id)}`);
    ctx.send(res, 202, started.run);
  });

  return router;
}
