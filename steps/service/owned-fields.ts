import type { Problem } from "../../src/errors.js";
import { joinPointer } from "../../src/config/pointer.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";
import { problemAt } from "../step-file.js";

interface Owned {
  why: string;
  instead: string;
}

/** ECS's strategy members the modes and slipway's own settings write. */
const strategy: Owned = {
  why: "The mode decides ECS's deployment strategy: rolling is ROLLING, ecs-blue-green BLUE_GREEN, ecs-linear LINEAR, ecs-canary CANARY.",
  instead: "Remove it and set mode: ecs-blue-green, ecs-linear or ecs-canary for ECS's own strategies (or mode: canary or mode: blue-green for slipway's task sets).",
};

/**
 * Members of ECS's CreateService/UpdateService a step file may not write, each with why and what to write instead:
 * slipway sets them itself (the cluster comes from the target, the controller from the mode, the client token
 * from the deployment), or writes them under its own name, or cannot manage them yet.
 */
export const ownedFields: Record<string, Owned> = {
  cluster: { why: "The cluster is the environment's: its target in targets.yaml names it.", instead: "Remove cluster: from the step; set it per environment in targets.yaml." },
  serviceName: { why: "The step names the service with service:.", instead: "Write service: <name> instead of serviceName:." },
  deploymentController: { why: "The mode decides the deployment controller: rolling and ecs-* use ECS's, canary and blue-green EXTERNAL.", instead: "Remove deploymentController: and set mode: rolling, canary, blue-green, ecs-blue-green, ecs-linear or ecs-canary." },
  clientToken: { why: "slipway sends its own client token, so a create retried after a lost answer never makes a second service.", instead: "Remove clientToken:." },
  networkConfiguration: { why: "The step writes the awsvpc network as network:.", instead: "Write network: { subnets: [...], securityGroups: [...], assignPublicIp: false } instead." },
  deploymentConfiguration: { why: "The step writes ECS's deployment configuration as deployment:.", instead: "Write deployment: { minimumHealthyPercent, maximumPercent, circuitBreaker: { enable, rollback }, alarms } (mode: rolling) or deployment: { bakeTimeInMinutes, linearConfiguration, canaryConfiguration } (ecs-* modes) instead." },
  role: { why: "slipway leaves the service's IAM role to ECS's service-linked role (AWSServiceRoleForECS), which awsvpc and task-set services require; a role given at creation can never be changed.", instead: "Remove role:; ECS uses its service-linked role." },
  gatewayConnectors: { why: "DescribeServices does not show gatewayConnectors (only service revisions do), so slipway could not tell whether a deploy changes them.", instead: "Remove it from the step; slipway leaves the service's gateway connectors as they are (set them with aws ecs update-service)." },
  monitoring: { why: "DescribeServices does not show monitoring (only service revisions do), so slipway could not tell whether a deploy changes it.", instead: "Remove it from the step; slipway leaves the service's monitoring as it is (set it with aws ecs update-service)." },
};

/** Under deployment: (ECS's deploymentConfiguration). */
export const ownedDeploymentFields: Record<string, Owned> = {
  deploymentCircuitBreaker: { why: "The step writes the circuit breaker as deployment.circuitBreaker.", instead: "Write circuitBreaker: { enable: true, rollback: true } instead." },
  strategy,
  lifecycleHooks: { why: "slipway writes the lifecycle hooks itself: approvals and verification are pause hooks it decides; Lambda hooks are not supported yet.", instead: "Write approvals: [{ at: POST_TEST_TRAFFIC_SHIFT }] for a person's go-ahead, verification: for probes through a test listener rule." },
  earlySuccessCriteria: { why: "Early success criteria (a rolling deployment declared done at a share of healthy tasks) are not a slipway setting yet.", instead: "Remove it; the service keeps what it has." },
};

/** Under loadBalancers[] (ECS's LoadBalancer). */
const advancedConfiguration: Owned = {
  why: "slipway writes advancedConfiguration for mode: ecs-blue-green, ecs-linear and ecs-canary from the target (its two target groups and listener rules) and the step's loadBalancerRole.",
  instead: "Remove it; bind the service with loadBalancer: { containerName, containerPort } and name ECS's role with loadBalancerRole:.",
};

function fieldProblems(doc: SourceDocument, at: string, value: unknown, owned: Record<string, Owned>): Problem[] {
  if (!isRecord(value)) return [];
  return Object.keys(value)
    .filter((key) => Object.hasOwn(owned, key))
    .map((key) => {
      const { why, instead } = owned[key] as Owned;
      return problemAt(doc, joinPointer(at, key), `${key}: is not for the step file. ${why}`, instead, "key");
    });
}

function scopeProblems(doc: SourceDocument, at: string, scope: unknown): Problem[] {
  if (!isRecord(scope)) return [];
  const balancers = Array.isArray(scope.loadBalancers) ? scope.loadBalancers : [];
  return [
    ...fieldProblems(doc, at, scope, ownedFields),
    ...fieldProblems(doc, joinPointer(at, "deployment"), scope.deployment, ownedDeploymentFields),
    ...balancers.flatMap((lb, i) => fieldProblems(doc, joinPointer(at, "loadBalancers", String(i)), lb, { advancedConfiguration })),
  ];
}

/** Every member the step writes that slipway owns, at the step's level and each environment's. */
export function ownedFieldProblems(doc: SourceDocument, raw: Record<string, unknown>): Problem[] {
  const environments = isRecord(raw.environments) ? Object.entries(raw.environments) : [];
  return [scopeProblems(doc, "", raw), ...environments.map(([name, own]) => scopeProblems(doc, joinPointer("/environments", name), own))].flat();
}
