import { Router } from "express";
import type { Clock } from "./catalog/cache.js";
import type { EnvironmentCatalogs } from "./catalog/environments.js";
import { parseAll } from "./params/all.js";
import { parseChannel, type FeedChannel } from "./params/channel.js";
import { parseFamily } from "./params/family.js";
import { parsePage } from "./params/page.js";
import { parsePageSize } from "./params/page-size.js";
import { parseRange } from "./params/range.js";
import { parseSearch } from "./params/search.js";
import { parseStatus } from "./params/status.js";
import { parseUnowned } from "./params/unowned.js";
import { parseVersion } from "./params/version.js";
import { sendAnswer } from "./respond.js";
import { listPackages, onePackage } from "./views/packages.js";
import { versionDetail } from "./views/version-detail.js";
import { listVersions } from "./views/versions.js";

export interface FeedServices {
  catalogs: EnvironmentCatalogs;
  clock: Clock;
  /** Applied to every answer before it is sent (and its entity tag made): where `slipway serve` masks secret values. */
  redact?: <B>(body: B) => B;
  /** Container environment entries whose values are secrets: masked in a version's task definition. */
  secretEnvironmentNames: ReadonlySet<string>;
  /** The project's channels, for `?channel=`: which revisions each allows. */
  channels: ReadonlyMap<string, FeedChannel>;
}

/** Page sizes when the client gives none: a package page is described family by family, so it is smaller. */
const defaultPackagePageSize = 20;
const defaultVersionPageSize = 50;

/** /v1: thin handlers that parse the request, ask a view, and send its answer. Errors go to the error middleware. */
export function feedRouter({ catalogs, clock, redact, secretEnvironmentNames, channels }: FeedServices): Router {
  const router = Router();

  router.get("/environments", (_req, res) => {
    res.json({ items: catalogs.names.map((name) => ({ name })) });
  });

  router.get("/environments/:environment/packages", async (req, res) => {
    const { environment } = req.params;
    const query = { search: parseSearch(req.query.q), page: parsePage(req.query.page), pageSize: parsePageSize(req.query.pageSize, defaultPackagePageSize), all: parseAll(req.query.all) };
    sendAnswer(req, res, await listPackages(catalogs.get(environment), environment, query), clock, redact);
  });

  router.get("/environments/:environment/packages/:family", async (req, res) => {
    const { environment } = req.params;
    const catalog = catalogs.get(environment);
    sendAnswer(req, res, await onePackage(catalog, environment, parseFamily(req.params.family), parseAll(req.query.all)), clock, redact);
  });

  router.get("/environments/:environment/packages/:family/versions", async (req, res) => {
    const { environment } = req.params;
    const catalog = catalogs.get(environment);
    const family = parseFamily(req.params.family);
    const query = {
      status: parseStatus(req.query.status),
      range: parseRange(req.query.range),
      channel: parseChannel(req.query.channel, channels),
      page: parsePage(req.query.page),
      pageSize: parsePageSize(req.query.pageSize, defaultVersionPageSize),
      all: parseAll(req.query.all),
      unowned: parseUnowned(req.query.unowned),
    };
    sendAnswer(req, res, await listVersions(catalog, environment, family, query), clock, redact);
  });

  router.get("/environments/:environment/packages/:family/versions/:version", async (req, res) => {
    const { environment } = req.params;
    const catalog = catalogs.get(environment);
    const query = { all: parseAll(req.query.all), secretEnvironmentNames };
    sendAnswer(req, res, await versionDetail(catalog, environment, parseFamily(req.params.family), parseVersion(req.params.version), query), clock, redact);
  });

  return router;
}
