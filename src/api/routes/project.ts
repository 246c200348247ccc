import { Router } from "express";
import { packageVersion } from "../../config/package-root.js";
import { callerOf } from "../auth.js";
import type { ApiContext } from "../context.js";

/** What any key may learn of the server: the project it serves, and what the key itself may do there. */
export interface ProjectView {
  name: string;
  environments: { name: string; optional: boolean }[];
  /**
   * The channels a release may go into, the default one marked: only for a key that may read or create releases
   * (the dashboard's Create release page offers them; a release's channel is shown to readers anyway).
   */
  channels?: { name: string; default: boolean }[];
  slipwayVersion: string;
  /** The calling key's name and scopes, so a CI job can see why it is refused before it is. */
  caller: { name: string; scopes: { read: boolean; createReleases: boolean; deploy: string[]; approve: string[] } };
}

/**
 * GET /project: needs a live key and no scope. The CLI working through a server reads it first, to refuse a
 * project file that names another project than the one the server deploys.
 */
export function projectRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get("/project", (_req, res) => {
    const caller = callerOf(res);
    const mayKnowChannels = caller.scopes.read || caller.scopes.createReleases;
    const view: ProjectView = {
      name: ctx.project.name,
      environments: ctx.project.lifecycle.environments.map((e) => ({ name: e.name, optional: e.optional })),
      ...(mayKnowChannels && { channels: ctx.project.process.channels.map((c) => ({ name: c.name, default: c.isDefault })) }),
      slipwayVersion: packageVersion(),
      caller: { name: caller.name, scopes: caller.scopes },
    };
    ctx.send(res, 200, view);
  });
  return router;
}
