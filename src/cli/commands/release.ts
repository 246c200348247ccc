import { InputError } from "../../errors.js";
import type { Output } from "../output.js";
import { cliActor, withProjectStore, withStore } from "./project-store.js";
import { releaseLines, releaseListLine } from "./release-lines.js";

export interface ReleaseOptions {
  project: string;
  json?: boolean;
}

export interface CreateOptions extends ReleaseOptions {
  channel?: string;
  image: string[];
  notes?: string;
}

/** The action of `create` (its definition, loaded at start, is in release-command.ts). */
export const createAction = (io: Output) =>
  (version: string, opts: CreateOptions) =>
    withProjectStore(opts.project, async (p) => {
      const first = p.loaded.project.lifecycle.names[0];
      const target = first === undefined ? undefined : p.loaded.targets.get(first);
      if (!target) throw new InputError("The project has no environment to choose images from.", "Add environments and targets to slipway.yaml.");
      // Images are chosen in the first environment's registry; every later environment runs the same digests.
      const clients = p.deploying.clientsFor(target);
      try {
        // Imported here: list and show, in this module too, read the store only and need none of the AWS SDK.
        const [{ EcrImageCatalog }, { createRelease }] = await Promise.all([import("../../aws/images.js"), import("../../releases/create-release.js")]);
        const made = await createRelease({ name: p.loaded.project.name, lifecycle: p.loaded.project.lifecycle, process: p.process }, p.store, new EcrImageCatalog(clients.ecr), {
          version,
          actor: cliActor(),
          images: opts.image,
          ...(opts.channel !== undefined && { channel: opts.channel }),
          ...(opts.notes !== undefined && { notes: opts.notes }),
        });
        if (opts.json) io.out(JSON.stringify(made, null, 2));
        else for (const line of releaseLines(made)) io.out(line);
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
