import type { RuleRef } from "../../../src/aws/listener-weights.js";
import type { LaunchType, NetworkSettings } from "../input.js";
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
  desiredCount: number;
  container: { name: string; port: number };
  launchType: LaunchType;
  network?: NetworkSettings;
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
