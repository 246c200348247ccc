import { Router } from "express";
import { InputError } from "../../errors.js";
import { createRelease, maxNotesLength } from "../../releases/create-release.js";
import { releaseNamed } from "../../releases/deployments.js";
import { releaseSources } from "../../releases/release-sources.js";
import { callerOf, requireCreateReleases, requireRead } from "../auth.js";
import { BodyReader } from "../body.js";
import type { ApiContext } from "../context.js";
import { releaseSummary, releaseView } from "../views/release.js";

/** /releases: list, one, create. */
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
    const packages = body.strings("packages", { hint: 'Package choices as the CLI\'s --package takes them: ["shop-web=42"].' });
    const notes = body.string("notes", { hint: `Free text for people, up to ${maxNotesLength} characters.`, max: maxNotesLength });
    body.done();
    // Images and packages are chosen in the first environment: a release deploys the same content everywhere.
    const first = ctx.project.lifecycle.names[0] as string;
    const target = ctx.project.targets.get(first);
    if (!target) throw new InputError(`The first environment, ${first}, has no target to read images from.`, "Add it to the targets file.");
    const clients = ctx.clientsFor(target);
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

  return router;
}
