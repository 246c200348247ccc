import express, { type Express } from "express";
import { NotFoundError } from "../src/errors.js";
import type { TaskDefinitionReader } from "../src/aws/task-definitions.js";
import { requireAccess, type FeedAccess } from "./auth.js";
import type { Clock } from "./catalog/cache.js";
import { defaultCatalogOptions } from "./catalog/catalog.js";
import { EnvironmentCatalogs } from "./catalog/environments.js";
import { methodNotAllowed } from "../src/http/allowed-methods.js";
import { errorMiddleware } from "./error-middleware.js";
import { openApiDocument } from "./openapi.js";
import { feedChannels } from "./params/channel.js";
import { feedRouter } from "./routes.js";
import type { Channel } from "../src/config/process-model.js";

export interface FeedAppOptions {
  /** Each environment's task definition reader, built from that environment's target. */
  sources: ReadonlyMap<string, TaskDefinitionReader>;
  auth: FeedAccess;
  /** Applied to every answer before it is sent: `slipway serve` masks the secret values it knows. Default: none. */
  redact?: <B>(body: B) => B;
  /**
   * Names of container environment entries that carry secrets (projectSecretEnvironmentNames, src/releases/secret-names.ts):
   * their values are masked as "***" in a version's task definition, since revisions registered before slipway
   * moved secrets to ECS `secrets` hold the value there. Default: none.
   */
  secretEnvironmentNames?: ReadonlySet<string>;
  /** The project's channels: `?channel=` on a version list applies one's revision rule. Default: none. */
  channels?: readonly Channel[];
  /** Milliseconds since the epoch; tests pass their own to move time. Default Date.now. */
  clock?: () => number;
  /** How long listings are served from cache, in ms. Default 30 s. */
  freshMs?: number;
  /**
   * How often a family's ACTIVE listing is read whole (refreshes in between read only what is newer), and how
   * long INACTIVE listings are kept, in ms: a deregistered revision can be listed ACTIVE this long. Default 10 × freshMs.
   */
  reconcileMs?: number;
  /** How long one revision's description is served from cache, in ms. Default 1 hour. */
  detailMs?: number;
  /** Where unexpected failures are logged. Default stderr. */
  log?: (line: string) => void;
}

/** The feed as an express app, built from injected readers so tests and the CLI differ only in what they pass. */
export function createFeedApp(options: FeedAppOptions): Express {
  const clock: Clock = options.clock ?? Date.now;
  const catalogs = new EnvironmentCatalogs(options.sources, {
    freshMs: options.freshMs ?? defaultCatalogOptions.freshMs,
    detailMs: options.detailMs ?? defaultCatalogOptions.detailMs,
    ...(options.reconcileMs !== undefined && { reconcileMs: options.reconcileMs }),
    clock,
  });
  const app = express();
  app.disable("x-powered-by");
  // Entity tags are made by the feed itself over the exact body it sends (respond.ts).
  app.set("etag", false);
  app.set("query parser", "simple");

  // The API's description is public: tools read it before they have a key.
  app.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });
  app.use("/v1", requireAccess(options.auth), feedRouter({ catalogs, clock, secretEnvironmentNames: options.secretEnvironmentNames ?? new Set(), channels: feedChannels(options.channels ?? []), ...(options.redact && { redact: options.redact }) }));
  app.use(methodNotAllowed(openApiDocument()));
  app.use((req, _res, next) => {
    next(new NotFoundError(`Nothing is served at ${req.method} ${req.path}.`, "The feed answers GET /v1/environments/{environment}/packages and below; GET /openapi.json describes it."));
  });
  app.use(errorMiddleware(options.log ?? ((line) => process.stderr.write(`${line}\n`))));
  return app;
}
