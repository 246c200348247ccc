import type { Problem } from "../../src/errors.js";
import { joinPointer } from "../../src/config/pointer.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";
import { problemAt } from "../step-file.js";

interface Owned {
  why: string;
  instead: string;
}

const strategyByMode: Owned = {
  why: "The mode decides ECS's deployment strategy: ecs-blue-green, ecs-linear and ecs-canary are BLUE_GREEN, LINEAR and CANARY; rolling is ROLLING.",
  instead: "Remove strategy: and set mode: ecs-blue-green, ecs-linear or ecs-canary (or rolling).",
};
const hooksBySlipway: Owned = {
  why: "slipway writes the lifecycle hooks itself: its approvals and verification are pause hooks at their lifecycle stages (Lambda hooks are not taken yet).",
  instead: "Write approvals: [{ at: POST_TEST_TRAFFIC_SHIFT }] and verification: under an ecs-* mode instead.",
};
const advancedBySlipway: Owned = {
  why: "slipway builds the alternate target group, the production and test listener rules and the role from the target's loadBalancer:, its test rule and loadBalancerRole:.",
  instead: "Remove advancedConfiguration:; give the target loadBalancer.targetGroups { primary, canary }, and loadBalancerRole: in the step.",
};
const notTaken: Owned = {
  why: "slipway does not take ECS's early success criteria yet.",
  instead: "Remove it; ECS's bake time (deployment.bakeTimeInMinutes) decides when the deployment ends.",
};

/**
 * Members of ECS's CreateService/UpdateService a step file may not write, each with why and what to write instead:
 * slipway sets them itself (the cluster comes from the target, the controller from the mode, the client token
 * from the deployment), or writes them under its own name, or cannot manage them yet.
 */
export const ownedFields: Record<string, Owned> = {
  cluster: { why: "The cluster is the environment's: its target in targets.yaml names it.", instead: "Remove cluster: from the step; set it per environment in targets.yaml." },
  serviceName: { why: "The step names the service with service:.", instead: "Write service: <name> instead of serviceName:." },
  deploymentController: { why: "The mode decides the deployment controller: rolling and ecs-* use ECS's, canary and blue-green EXTERNAL.", instead: "Remove deploymentController: and set the mode: rolling, ecs-blue-green, ecs-linear, ecs-canary, canary or blue-green." },
  clientToken: { why: "slipway sends its own client token, so a create retried after a lost answer never makes a second service.", instead: "Remove clientToken:." },
  networkConfiguration: { why: "The step writes the awsvpc network as network:.", instead: "Write network: { subnets: [...], securityGroups: [...], assignPublicIp: false } instead." },
  deploymentConfiguration: { why: "The step writes ECS's deployment configuration as deployment:.", instead: "Write deployment: { minimumHealthyPercent, maximumPercent, circuitBreaker: { enable, rollback }, alarms } instead (and bakeTimeInMinutes, linearConfiguration, canaryConfiguration under an ecs-* mode)." },
  role: { why: "slipway leaves the service's IAM role to ECS's service-linked role (AWSServiceRoleForECS), which awsvpc and task-set services require; a role given at creation can never be changed.", instead: "Remove role:; ECS uses its service-linked role." },
  gatewayConnectors: { why: "DescribeServices does not show gatewayConnectors (only service revisions do), so slipway could not tell whether a deploy changes them.", instead: "Remove it from the step; slipway leaves the service's gateway connectors as they are (set them with aws ecs update-service)." },
  monitoring: { why: "DescribeServices does not show monitoring (only service revisions do), so slipway could not tell whether a deploy changes it.", instead: "Remove it from the step; slipway leaves the service's monitoring as it is (set it with aws ecs update-service)." },
};

/** Under deployment: (ECS's deploymentConfiguration). */
export const ownedDeploymentFields: Record<string, Owned> = {
  deploymentCircuitBreaker: { why: "The step writes the circuit breaker as deployment.circuitBreaker.", instead: "Write circuitBreaker: { enable: true, rollback: true } instead." },
  strategy: strategyByMode,
  lifecycleHooks: hooksBySlipway,
  earlySuccessCriteria: notTaken,
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
    ...balancers.flatMap((lb, i) => fieldProblems(doc, joinPointer(at, "loadBalancers", String(i)), lb, { advancedConfiguration: advancedBySlipway })),
  ];
}

/** Every member the step writes that slipway owns, at the step's level and each environment's. */
export function ownedFieldProblems(doc: SourceDocument, raw: Record<string, unknown>): Problem[] {
  const environments = isRecord(raw.environments) ? Object.entries(raw.environments) : [];
  return [scopeProblems(doc, "", raw), ...environments.map(([name, own]) => scopeProblems(doc, joinPointer("/environments", name), own))].flat();
}
