import type { Release, SnapshotVariable } from "../../releases/release.js";

/** A release in a listing: what it is, not what it holds. */
export interface ReleaseSummary {
  version: string;
  channel: string;
  createdAt: string;
  createdBy: string;
  notes?: string;
  /** The images it pinned, "container repository:tag@digest". */
  images: string[];
  /** The service steps' packages it chose, "family:revision". */
  packages: string[];
}

export function releaseSummary(release: Release): ReleaseSummary {
  const images = release.snapshot.steps.flatMap((s) => (s.uses === "task-definition" ? s.images.map((i) => `${i.container} ${i.repository}${i.tag !== undefined ? `:${i.tag}` : ""}@${i.digest}`) : []));
  const packages = release.snapshot.steps.flatMap((s) => (s.uses === "service" && s.package ? [`${s.package.family}:${s.package.revision}`] : []));
  return { version: release.version, channel: release.channel, createdAt: release.createdAt, createdBy: release.createdBy, ...(release.notes !== undefined && { notes: release.notes }), images, packages };
}

/**
 * A secret variable as the API shows it: only where it is read from. A release never stores a secret's value,
 * and this keeps any other field a stored reference might carry out of the answer as well.
 */
function shownVariable(value: SnapshotVariable): SnapshotVariable {
  if (typeof value !== "object") return value;
  return "fromEnv" in value ? { secret: true, fromEnv: value.fromEnv } : { secret: true, valueFrom: value.valueFrom };
}

/** The whole release: its frozen process, with secret variables as references. */
export function releaseView(release: Release): Release {
  const variables = Object.fromEntries(Object.entries(release.snapshot.variables).map(([scope, values]) => [scope, Object.fromEntries(Object.entries(values).map(([name, value]) => [name, shownVariable(value)]))]));
  return { ...release, snapshot: { ...release.snapshot, variables } };
}
