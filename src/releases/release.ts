import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { LoadedServiceStep } from "../../steps/service/load.js";
import type { TaskDefinitionStepInput } from "../../steps/task-definition/input.js";
import type { VerificationStepInput } from "../../steps/verification/input.js";
import type { ManualInterventionInput } from "../../steps/manual-intervention/load.js";

/**
 * A release: the project's deployment process as it stood when the release was created, with every image chosen
 * once (tag and digest). It never changes afterwards; promoting it deploys exactly these digests everywhere.
 */
export interface Release {
  project: string;
  /** Semver, unique in the project. */
  version: string;
  channel: string;
  createdAt: string;
  /** The key or login that created it. */
  createdBy: string;
  notes?: string;
  snapshot: ReleaseSnapshot;
}

export type NewRelease = Omit<Release, "createdAt">;

/** The process frozen into the release, plain data only (JSON in the store). */
export interface ReleaseSnapshot {
  steps: SnapshotStep[];
  /** Project variables: "default" and one map per environment. Secret variables are kept as references only. */
  variables: Record<string, Record<string, SnapshotVariable>>;
}

/**
 * A secret: read from the deploying process's environment at deploy time (never stored; slipway keeps it in a
 * Secrets Manager secret it owns), or a Secrets Manager secret / SSM parameter the team manages, by ARN.
 */
export type SecretVariable = { secret: true; fromEnv: string } | { secret: true; valueFrom: string };

/** A plain value, or a secret (only ever a reference). */
export type SnapshotVariable = string | number | boolean | SecretVariable;

interface SnapshotStepBase {
  /** The step's name in the process: unique, names its journal entries and its output. */
  name: string;
  /** Runs only in these environments; absent: in every environment. */
  environments?: string[];
  /** The step file the input came from, for people (the release does not read it again). */
  file: string;
}

export interface ChosenImage {
  container: string;
  repository: string;
  repositoryUri: string;
  /** The tag it was chosen by; absent when a digest was named. */
  tag?: string;
  digest: string;
}

/** A container's image in a package's definition: as the chosen revision gave it, and as the release runs it. */
export interface PackageImage {
  container: string;
  /** As the chosen revision names it. */
  registered: string;
  /** What every environment runs: `<repositoryUri>@<digest>` when pinned, else as registered. */
  image: string;
  tag?: string;
  digest?: string;
  /** Why it could not be pinned (not in an ECR repository of the first environment's target); absent when pinned. */
  unpinned?: string;
}

/**
 * A service step's task definition taken from the feed: the revision chosen at release time, and its whole
 * definition, which every environment runs (reused where an identical revision exists, registered where not).
 */
export interface SnapshotPackage {
  family: string;
  /** The revision chosen, in the environment it was chosen from. */
  revision: number;
  arn: string;
  /** The environment whose view it was chosen from: the lifecycle's first. */
  chosenIn: string;
  /** How: the rule that chose it (the step's version and the channel's revisions rule), or --package. */
  chosenBy: string;
  /** As RegisterTaskDefinition takes it, images pinned, without slipway's tags. */
  definition: RegisterTaskDefinitionCommandInput;
  /** The normalised definition's hash (ownership.ts contentHash): what "identical" means in every environment. */
  content: string;
  images: PackageImage[];
}

export type SnapshotStep =
  | (SnapshotStepBase & { uses: "task-definition"; input: TaskDefinitionStepInput; images: ChosenImage[] })
  | (SnapshotStepBase & { uses: "service"; raw: LoadedServiceStep["raw"]; taskDefinitionFrom?: string; package?: SnapshotPackage })
  | (SnapshotStepBase & { uses: "verification"; input: VerificationStepInput })
  | (SnapshotStepBase & { uses: "manual-intervention"; input: ManualInterventionInput });

/** Whether the step runs in this environment. */
export function runsIn(step: SnapshotStep, environment: string): boolean {
  return step.environments === undefined || step.environments.includes(environment);
}
