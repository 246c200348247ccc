import type { RuleRef } from "../../../src/aws/listener-weights.js";
import { InputError } from "../../../src/errors.js";
import type { Tag } from "@aws-sdk/client-ecs";
import type { ServiceDefinition } from "../definition.js";
import type { LaunchType, NetworkSettings } from "../input.js";
import { revisionLabel } from "../state.js";
import type { Strategy } from "./stages.js";

/**
 * What a deployment settles before its first write and records in its journal (STYLE lesson 7): the revisions,
 * which target group is live, and every rule that routes to the service — gathered once, before the deployment
 * starts (seed 000), so rules added later (its own verification rules) are never mistaken for production ones,
 * and a resumed run works from the same facts as the run it continues.
 */
export interface DeploymentFacts {
  deploymentId: string;
  environment: string;
  release?: string;
  strategy: Strategy;
  cluster: string;
  service: string;
  newTaskDefinition: string;
  /** The service's count the task sets' scales apply to: the step's, or the live one when someone else manages it. */
  desiredCount: number;
  /**
   * Who manages the desired count when slipway must leave it alone ("Application Auto Scaling (2–20)"): no stage
   * then sets it, and task sets follow whatever it becomes during the deployment. Absent: the step's count applies.
   */
  countManagedBy?: string;
  /** Dynamic scale-in is suspended for the deployment (autoscaling.suspendScaleIn) and resumed when it ends. */
  suspendScaleIn?: true;
  container: { name: string; port: number };
  /** Absent when the task sets run on a capacity provider strategy (taskSetDefinition). */
  launchType?: LaunchType;
  network?: NetworkSettings;
  /** What each task set is created with beyond its revision and target group: capacity providers, platform version, service registries. */
  taskSetDefinition?: ServiceDefinition;
  /** The service's own members the step writes (placement, tag propagation, exec): for creating it. */
  serviceDefinition?: ServiceDefinition;
  /** Of those, the ones an existing service has otherwise, settled before the first write: set in the preflight. */
  serviceChanges?: ServiceDefinition;
  /** The step's tags: on the service when it is created, else the ones it lacks, added in the preflight. */
  tags?: Tag[];
  /**
   * What the primary task set runs on otherwise than the step says (capacity providers, platform version…): a
   * deployment of the revision it already runs is then still a deployment, since only new task sets take them.
   */
  taskSetChanges?: string[];
  /** live: where the primary task set is (production traffic); other: where the canary or green stack goes. */
  targetGroups: { live: string; other: string };
  /** The primary task set when the deployment started: the known-good revision every rollback returns to. */
  previous?: { taskSetId: string; taskDefinition: string };
  /** Every rule and default action forwarding to either target group, when the deployment started. */
  rules: RuleRef[];
  /** The target's listener: where verification rules go. */
  listenerArn: string;
  startedAt: string;
}

/** The journal's step name for everything a task-set deployment of this service does. */
export const stepOf = (service: string) => `task-sets:${service}`;

/** What a run asks to deploy, to hold against the facts its deployment id's journal already has. */
export interface AskedFor {
  environment: string;
  release?: string;
  /** --task-definition as given: family:revision, an ARN, or a family. */
  override?: string;
}

/**
 * A run given an earlier deployment's id continues it from its recorded facts, which win: a different
 * environment, release or revision would be silently ignored, so it is refused instead. A bare family is not
 * held against the facts: it names the newest revision, which may have moved since the deployment started.
 */
export function refuseOtherRun(facts: DeploymentFacts, asked: AskedFor): void {
  const differ: [string, string][] = [];
  if (asked.environment !== facts.environment) differ.push([`environment ${facts.environment}`, `environment ${asked.environment}`]);
  if (asked.release !== facts.release) differ.push([facts.release === undefined ? "no release" : `release ${facts.release}`, asked.release === undefined ? "no release" : `release ${asked.release}`]);
  const revision = revisionLabel(facts.newTaskDefinition);
  if (asked.override?.includes(":") && revisionLabel(asked.override) !== revision) differ.push([revision, revisionLabel(asked.override)]);
  if (differ.length === 0) return;
  throw new InputError(
    `Deployment ${facts.deploymentId} was started with ${differ.map(([started]) => started).join(" and ")}; this run asks for ${differ.map(([, now]) => now).join(" and ")}.`,
    `Use \`slipway resume ${facts.deploymentId}\` to continue it, or start a new deployment without --deployment.`,
  );
}
