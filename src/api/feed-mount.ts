import { Router, type RequestHandler } from "express";
import { EcsTaskDefinitions, type TaskDefinitionReader } from "../aws/task-definitions.js";
import { createFeedApp } from "../../feed/app.js";
import { projectSecretEnvironmentNames } from "../releases/secret-names.js";
import { callerOf, requireRead } from "./auth.js";
import type { ApiDeps } from "./context.js";

/** Every environment's task definition reader, one set of clients each, for the life of the server. */
export function feedSourcesOf(deps: Pick<ApiDeps, "project" | "clientsFor">): Map<string, TaskDefinitionReader> {
  const sources = new Map<string, TaskDefinitionReader>();
  for (const environment of deps.project.lifecycle.names) {
    const target = deps.project.targets.get(environment);
    if (target) sources.set(environment, new EcsTaskDefinitions(deps.clientsFor(target).ecs));
  }
  return sources;
}

/**
 * The task definition feed beside the API, at /feed: the same app as `slipway feed serve`, let in by the API's
 * keys — any key with the read scope — instead of a keys file. Its OpenAPI document stays public.
 */
export function mountedFeed(deps: ApiDeps, authenticate: RequestHandler, redact: <B>(body: B) => B): RequestHandler[] {
  // Task definitions carry environment values, a secret's among them: the values this server knows are masked as
  // in every API answer, and entries fed by a secret variable are masked whatever they hold (an old revision may
  // hold a value since rotated, which no redactor knows).
  const feed = createFeedApp({
    sources: deps.feedSources ?? feedSourcesOf(deps),
    auth: { kind: "open" },
    redact,
    secretEnvironmentNames: projectSecretEnvironmentNames(deps.project.process),
    channels: deps.project.process.channels,
    ...(deps.log && { log: deps.log }),
  });
  const guard = Router();
  // The feed's own description is public; "router" leaves this guard and goes on to the feed.
  guard.use((req, _res, next) => next(req.path === "/openapi.json" ? "router" : undefined));
  guard.use(authenticate);
  guard.use((_req, res, next) => {
    requireRead(callerOf(res));
    next();
  });
  return [guard, feed];
}
