import { InputError } from "../../errors.js";
import type { Output } from "../output.js";
import type { ReleaseProject } from "../../releases/create-release.js";
import type { ReleaseSources } from "../../releases/release-sources.js";
import { cliActor, withProjectStore, withStore, type OpenProject } from "./project-store.js";
import { releaseLines, releaseListLine, releasePlanLines } from "./release-lines.js";

export interface ReleaseOptions {
  project: string;
  json?: boolean;
}

export interface CreateOptions extends ReleaseOptions {
  channel?: string;
  image: string[];
  package: string[];
  notes?: string;
}

/**
 * Runs `use` with the project, the store and the sources releases choose from: the first environment's registry
 * and task definitions (every later environment runs what was chosen there).
 */
function withReleaseSources<T>(projectFile: string, use: (p: OpenProject, project: ReleaseProject, sources: ReleaseSources) => Promise<T>): Promise<T> {
  return withProjectStore(projectFile, async (p) => {
    const first = p.loaded.project.lifecycle.names[0];
    const target = first === undefined ? undefined : p.loaded.targets.get(first);
    if (!target) throw new InputError("The project has no environment to choose images and packages from.", "Add environments and targets to slipway.yaml.");
    const clients = p.deploying.clientsFor(target);
    try {
      // Imported here: list and show, in this module too, read the store only and need none of the AWS SDK.
      const { releaseSources } = await import("../../releases/release-sources.js");
      return await use(p, { name: p.loaded.project.name, lifecycle: p.loaded.project.lifecycle, process: p.process }, releaseSources(clients));
    } finally {
      clients.destroy();
    }
  });
}

/** The action of `create` (its definition, loaded at start, is in release-command.ts). */
export const createAction = (io: Output) =>
  (version: string, opts: CreateOptions) =>
    withReleaseSources(opts.project, async (p, project, sources) => {
      const { createRelease } = await import("../../releases/create-release.js");
      const made = await createRelease(project, p.store, sources, {
        version,
        actor: cliActor(),
        images: opts.image,
        packages: opts.package,
        ...(opts.channel !== undefined && { channel: opts.channel }),
        ...(opts.notes !== undefined && { notes: opts.notes }),
      });
      if (opts.json) io.out(JSON.stringify(made, null, 2));
      else for (const line of releaseLines(made)) io.out(line);
    });

export interface PlanOptions extends ReleaseOptions {
  channel?: string;
  image: string[];
  package: string[];
}

/** The action of `plan` (its definition, loaded at start, is in release-command.ts). */
export const planAction = (io: Output) =>
  (opts: PlanOptions) =>
    withReleaseSources(opts.project, async (_p, project, sources) => {
      const { planRelease } = await import("../../releases/release-plan.js");
      const plan = await planRelease(project, sources, { images: opts.image, packages: opts.package, ...(opts.channel !== undefined && { channel: opts.channel }) });
      if (opts.json) io.out(JSON.stringify(plan, null, 2));
      else for (const line of releasePlanLines(plan)) io.out(line);
    });

/** The action of `list` (its definition, loaded at start, is in release-command.ts). */
export const listAction = (io: Output) =>
  (opts: ReleaseOptions) =>
    withStore(opts.project, async (store) => {
      const releases = await store.releases.list();
      if (opts.json) return io.out(JSON.stringify(releases.map(({ snapshot: _snapshot, ...r }) => r), null, 2));
      if (releases.length === 0) return io.out("no releases yet: slipway release create <version>");
      for (const r of releases) io.out(releaseListLine(r));
    });

/** The action of `show` (its definition, loaded at start, is in release-command.ts). */
export const showAction = (io: Output) =>
  (version: string, opts: ReleaseOptions) =>
    withStore(opts.project, async (store) => {
      const { releaseNamed } = await import("../../releases/deployments.js");
      const found = await releaseNamed(store, version);
      if (opts.json) io.out(JSON.stringify(found, null, 2));
      else for (const line of releaseLines(found)) io.out(line);
    });
