import { InputError } from "../../errors.js";
import type { Output } from "../output.js";
import { cliActor, withProjectStore, withStore } from "./project-store.js";
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

/** The action of `create` (its definition, loaded at start, is in release-command.ts). */
export const createAction = (io: Output) =>
  (version: string, opts: CreateOptions) =>
    withProjectStore(opts.project, async (p) => {
      const first = p.loaded.project.lifecycle.names[0];
      const target = first === undefined ? undefined : p.loaded.targets.get(first);
      if (!target) throw new InputError("The project has no environment to choose images and packages from.", "Add environments and targets to slipway.yaml.");
      // Images and packages are chosen in the first environment; every later environment runs the same content.
      const clients = p.deploying.clientsFor(target);
      try {
        // Imported here: list and show, in this module too, read the store only and need none of the AWS SDK.
        const [{ releaseSources }, { createRelease }] = await Promise.all([import("../../releases/release-sources.js"), import("../../releases/create-release.js")]);
        const made = await createRelease({ name: p.loaded.project.name, lifecycle: p.loaded.project.lifecycle, process: p.process }, p.store, releaseSources(clients), {
          version,
          actor: cliActor(),
          images: opts.image,
          packages: opts.package,
          ...(opts.channel !== undefined && { channel: opts.channel }),
          ...(opts.notes !== undefined && { notes: opts.notes }),
        });
        if (opts.json) io.out(JSON.stringify(made, null, 2));
        else for (const line of releaseLines(made)) io.out(line);
      } finally {
        clients.destroy();
      }
    });

export interface PlanOptions extends ReleaseOptions {
  channel?: string;
  image: string[];
  package: string[];
}

/** The action of `plan` (its definition, loaded at start, is in release-command.ts). */
export const planAction = (io: Output) =>
  (opts: PlanOptions) =>
    withProjectStore(opts.project, async (p) => {
      const first = p.loaded.project.lifecycle.names[0];
      const target = first === undefined ? undefined : p.loaded.targets.get(first);
      if (!target) throw new InputError("The project has no environment to choose images and packages from.", "Add environments and targets to slipway.yaml.");
      const clients = p.deploying.clientsFor(target);
      try {
        const [{ releaseSources }, { planRelease }] = await Promise.all([import("../../releases/release-sources.js"), import("../../releases/release-plan.js")]);
        const plan = await planRelease({ name: p.loaded.project.name, lifecycle: p.loaded.project.lifecycle, process: p.process }, releaseSources(clients), {
          images: opts.image,
          packages: opts.package,
          ...(opts.channel !== undefined && { channel: opts.channel }),
        });
        if (opts.json) io.out(JSON.stringify(plan, null, 2));
        else for (const line of releasePlanLines(plan)) io.out(line);
      } finally {
        clients.destroy();
      }
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
