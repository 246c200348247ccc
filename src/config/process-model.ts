import type { SnapshotVariable } from "../releases/release.js";

/**
 * The parts of slipway.yaml that make a project deployable: the deployment process, channels and variables.
 * Built by loadProjectProcess (src/config/load-process.ts) once every file passed its checks.
 */

export type StepKind = "task-definition" | "service" | "verification" | "manual-intervention";

/** One step of the deployment process, in the order it runs. */
export interface ProcessStep {
  /** Unique in the process; names the step's journal entries and its output. */
  name: string;
  uses: StepKind;
  /** The step's input file, as a path from the working directory (it is written relative to slipway.yaml). */
  file: string;
  /** Runs only in these environments; absent: every environment. */
  environments?: string[];
  /**
   * service steps only: the task-definition step whose registered revision this service runs. Defaults to the
   * nearest task-definition step before it; absent when there is none (the service step names its own).
   */
  taskDefinitionFrom?: string;
}

/** A release channel: which release versions belong to it and which image tags and revisions its releases may pick. */
export interface Channel {
  name: string;
  /** The channel `release create` uses without --channel. Exactly one channel is the default. */
  isDefault: boolean;
  /** A semver range every release version of the channel satisfies; absent: any version. */
  releaseVersions?: string;
  /** container name → semver range the chosen image tag must satisfy (narrows the step's own rule). */
  imageTags: Record<string, string>;
  /**
   * task definition family → the revisions its releases may take, as a revision range (">=40", "[40,50)"; see
   * src/releases/revision-range.ts). Absent, or a family it does not name: any revision.
   */
  revisions?: Record<string, string>;
  /**
   * true: any prerelease inside a range belongs (semver's includePrerelease), for releaseVersions and imageTags.
   * Absent or false: semver's own rule — a prerelease belongs only if the range names a prerelease of the same
   * major.minor.patch (">=1.9.0-rc.0 <2.0.0" admits 1.9.0-rc.1; ">=1.0.0 <2.0.0" does not).
   */
  prerelease?: boolean;
}

/** "default" and one map per environment name; a secret is read from the environment at deploy time. */
export type ProjectVariables = Record<string, Record<string, SnapshotVariable>>;

export interface ProjectProcess {
  steps: ProcessStep[];
  /** Never empty: without channels: in the file, one default channel with no rules. */
  channels: Channel[];
  variables: ProjectVariables;
}
