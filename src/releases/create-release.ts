import { ConflictError, InputError } from "../errors.js";
import type { ProjectProcess } from "../config/process-model.js";
import type { Store } from "../engine/store.js";
import type { Lifecycle } from "../../targets/lifecycle.js";
import { channelFor, checkChannelTags, refuseVersion } from "./channel-rules.js";
import type { Release } from "./release.js";
import type { ReleaseSources } from "./release-sources.js";
import { projectSecretEnvironmentNames } from "./secret-names.js";
import { snapshotProcess } from "./snapshot.js";

export interface CreateReleaseRequest {
  version: string;
  channel?: string;
  /** --image choices: container=tag or container@digest. */
  images?: readonly string[];
  /** --package choices: family=revision. */
  packages?: readonly string[];
  notes?: string;
  /** The key name, or cli:<login>. */
  actor: string;
}

export interface ReleaseProject {
  name: string;
  lifecycle: Lifecycle;
  process: ProjectProcess;
}

/** The one limit on a release's notes, whether they come from the CLI or the API. */
export const maxNotesLength = 10_000;

/** Notes are free text for people, stored as they are: bounded, and without the NUL character no database stores. */
function refuseNotes(notes: string | undefined): void {
  if (notes === undefined) return;
  const length = Array.from(notes).length; // characters as the API counts them (code points)
  if (length > maxNotesLength) throw new InputError(`The release notes are ${length} characters long; at most ${maxNotesLength} are kept.`, "Shorten them, and link to a longer text (a changelog, a pull request) instead.");
  if (notes.includes("\u0000")) throw new InputError("The release notes hold a NUL character (\\u0000), which cannot be stored.", "Remove it: notes are plain text.");
}

/**
 * `slipway release create`: checks the version against its channel, refuses a version that exists before any
 * AWS read, snapshots the process with every image pinned and every package's revision chosen, and stores it —
 * after which it never changes.
 */
export async function createRelease(project: ReleaseProject, store: Store, sources: ReleaseSources, request: CreateReleaseRequest): Promise<Release> {
  const channel = channelFor(project.process.channels, request.channel);
  refuseVersion(request.version, channel);
  refuseNotes(request.notes);
  if (await store.releases.get(request.version)) throw existsError(request.version);
  const snapshot = await snapshotProcess({
    process: project.process,
    environments: project.lifecycle.names,
    channel,
    images: request.images ?? [],
    packages: request.packages ?? [],
    catalog: sources.images,
    taskDefinitions: sources.taskDefinitions,
    secretNames: projectSecretEnvironmentNames(project.process),
  });
  checkChannelTags(snapshot.steps.flatMap((s) => (s.uses === "task-definition" ? s.images : [])), channel);
  const release = await store.releases.create({ project: project.name, version: request.version, channel: channel.name, createdBy: request.actor, ...(request.notes !== undefined && { notes: request.notes }), snapshot });
  await store.audit.record({ actor: request.actor, action: "release.create", subject: request.version, detail: { channel: channel.name } });
  return release;
}

export function existsError(version: string): ConflictError {
  return new ConflictError(`Release ${version} already exists, and a release never changes once created.`, "Create a new version (e.g. bump the patch number) to ship different images or a changed process.");
}
