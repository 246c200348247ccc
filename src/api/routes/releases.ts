import { Router } from "express";
import { InputError } from "../../errors.js";
import { createRelease, maxNotesLength } from "../../releases/create-release.js";
import { releaseNamed } from "../../releases/deployments.js";
import { planRelease } from "../../releases/release-plan.js";
import { releaseSources } from "../../releases/release-sources.js";
import type { Target } from "../../../targets/target.js";
import { queryList, queryText } from "../params.js";
import { callerOf, requireCreateReleases, requireRead } from "../auth.js";
import { BodyReader } from "../body.js";
import type { ApiContext } from "../context.js";
import { releaseSummary, releaseView } from "../views/release.js";

/** The target releases read their choices from: the lifecycle's first environment's. */
function firstTarget(ctx: ApiContext): Target {
  const first = ctx.project.lifecycle.names[0] as string;
  const target = ctx.project.targets.get(first);
  if (!target) throw new InputError(`The first environment, ${first}, has no target to read images and packages from.`, "Add it to the targets file.");
  return target;
}

const imageChoice = /^[A-Za-z0-9_-]+(=[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/;
const packageChoice = /^[A-Za-z0-9_-]{1,255}=[1-9][0-9]{0,8}$/;

/** /releases: list, one, create; /release-plan: what creating one would choose. */
export function releasesRouter(ctx: ApiContext): Router {
  const router = Router();

  router.get("/releases", async (_req, res) => {
    requireRead(callerOf(res));
    ctx.send(res, 200, { items: (await ctx.store.releases.list()).map(releaseSummary) });
  });

  router.get("/releases/:version", async (req, res) => {
    requireRead(callerOf(res));
    const release = await releaseNamed(ctx.store, req.params.version);
    ctx.redactor.learnRelease(release);
    ctx.send(res, 200, releaseView(release));
  });

  router.post("/releases", async (req, res) => {
    const caller = callerOf(res);
    requireCreateReleases(caller);
    const body = new BodyReader(req.body, ["version", "channel", "images", "packages", "notes"]);
    const version = body.string("version", { required: true, hint: "The release's semver version, e.g. 1.4.0.", max: 128 });
    const channel = body.string("channel", { hint: "A channel of the project; leave it out for the default one.", max: 128 });
    const images = body.strings("images", { hint: 'Image choices as the CLI\'s --image takes them: ["web=1.4.3"] or ["web@sha256:…"].' });
    const packages = body.strings("packages", { hint: 'Package choices as the CLI\'s --package takes them: ["shop-web=42"].', pattern: packageChoice });
    const notes = body.string("notes", { hint: `Free text for people, up to ${maxNotesLength} characters.`, max: maxNotesLength });
    body.done();
    // Images and packages are chosen in the first environment: a release deploys the same content everywhere.
    const clients = ctx.clientsFor(firstTarget(ctx));
    try {
      const release = await createRelease(ctx.project, ctx.store, releaseSources(clients), {
        version: version as string,
        ...(channel !== undefined && { channel }),
        ...(images !== undefined && { images }),
        ...(packages !== undefined && { packages }),
        ...(notes !== undefined && { notes }),
        actor: caller.name,
      });
      res.location(`/api/v1/releases/${encodeURIComponent(release.version)}`);
      ctx.send(res, 201, releaseView(release));
    } finally {
      clients.destroy();
    }
  });

  // A read, but of what creating a release would take: for those who may create one (the dashboard's page).
  router.get("/release-plan", async (req, res) => {
    requireCreateReleases(callerOf(res));
    const channel = queryText(req.query.channel, "channel");
    const images = queryList(req.query.image, "image", imageChoice, 'An image choice as --image takes it: "web=1.4.3" or "web@sha256:<64 hex digits>".');
    const packages = queryList(req.query.package, "package", packageChoice, 'A package choice as --package takes it: "shop-web=42".');
    const clients = ctx.clientsFor(firstTarget(ctx));
    try {
      ctx.send(res, 200, await planRelease(ctx.project, releaseSources(clients), { images, packages, ...(channel !== undefined && { channel }) }));
    } finally {
      clients.destroy();
    }
  });

  return router;
}
