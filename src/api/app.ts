import express, { type Express, type Response } from "express";
import { NotFoundError } from "../errors.js";
import { authenticate } from "./auth.js";
import type { ApiContext, ApiDeps } from "./context.js";
import { dashboardRouter } from "./dashboard-mount.js";
import { methodNotAllowed } from "../http/allowed-methods.js";
import { apiErrorMiddleware } from "./error-middleware.js";
import { mountedFeed } from "./feed-mount.js";
import { apiOpenApiDocument } from "./openapi.js";
import { AnswerRedactor } from "./redaction.js";
import { sameOriginOnly } from "./same-origin.js";
import { decisionsRouter } from "./routes/decisions.js";
import { deploymentsRouter } from "./routes/deployments.js";
import { environmentRollbackRouter } from "./routes/environment-rollback.js";
import { eventsRouter } from "./routes/events.js";
import { liveSharedForMs } from "./routes/live.js";
import { liveRouter } from "./routes/live.js";
import { projectRouter } from "./routes/project.js";
import { releasesRouter } from "./routes/releases.js";
import { statusRouter } from "./routes/status.js";

export type { ApiDeps, ApiProject } from "./context.js";

/**
 * slipway's HTTP API as an express app: releases, deployments running in this process with their progress as
 * server-sent events, approvals and aborts, history — every route behind a key whose scopes are checked before
 * anything is written — the task definition feed at /feed, and the dashboard at /.
 */
export function createApiApp(deps: ApiDeps): Express {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = deps.runOptions?.env ?? process.env;
  const redactor = new AnswerRedactor(env, deps.project.process.variables);
  const ctx: ApiContext = {
    store: deps.store,
    project: deps.project,
    deploying: { name: deps.project.name, lifecycle: deps.project.lifecycle, targets: deps.project.targets, store: deps.store, clientsFor: deps.clientsFor },
    clientsFor: deps.clientsFor,
    background: { log, ...(deps.signal && { signal: deps.signal }), ...(deps.runOptions && { runOptions: deps.runOptions }), ...(deps.onRunStarted && { onRunStarted: deps.onRunStarted }) },
    env,
    redactor,
    eventPollMs: deps.eventPollMs ?? 250,
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    liveSharedForMs: deps.liveSharedForMs ?? liveSharedForMs,
    send: (res: Response, status: number, body: unknown) => {
      res.status(status).json(redactor.value(body));
    },
  };
  const auth = authenticate(deps.store, deps.auth);

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // Before anything else: a browser on another site never gets to write, whatever key it could send.
  app.use(sameOriginOnly(deps.auth.open));

  // The API's description is public: tools read it before they have a key.
  app.get("/openapi.json", (_req, res) => {
    res.json(apiOpenApiDocument());
  });
  app.use("/feed", ...mountedFeed({ ...deps, log }, auth, (body) => redactor.value(body)));
  app.use("/api/v1", auth, express.json({ limit: "100kb" }), projectRouter(ctx), releasesRouter(ctx), deploymentsRouter(ctx), decisionsRouter(ctx), environmentRollbackRouter(ctx), eventsRouter(ctx), liveRouter(ctx), statusRouter(ctx));
  // The dashboard (at /, its assets under /dashboard/) is a page over this API: it reads with the caller's key.
  app.use(dashboardRouter());
  app.use(methodNotAllowed(apiOpenApiDocument()));
  app.use((req, _res, next) => {
    next(new NotFoundError(`Nothing is served at ${req.method} ${req.path}.`, "The API answers under /api/v1 (GET /openapi.json describes it); the task definition feed is under /feed/v1; the dashboard is at /."));
  });
  app.use(apiErrorMiddleware(log));
  return app;
}
