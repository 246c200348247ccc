import type { DeployableProject } from "../config/load.js";
import type { ProcessStep } from "../config/process-model.js";
import type { Problem } from "../errors.js";
import { settingsFor, type ServiceSettings } from "../../steps/service/input.js";
import { loadServiceStep } from "../../steps/service/load.js";
import { loadTaskDefinitionStep } from "../../steps/task-definition/load.js";
import { loadVerificationStep } from "../../steps/verification/load.js";
import type { Target } from "../../targets/target.js";
import type { SecretVariable } from "../releases/release.js";
import type { WantedEnvironment, WantedImage, WantedInfrastructure, WantedLoadBalancer, WantedSecret, WantedTargetGroupSettings } from "./wanted.js";

/** What a project's files ask of a simulator, and what in them cannot be made there. */
export interface ProjectSeedPlan {
  wanted: WantedInfrastructure;
  /** Things named in a way the simulator cannot create (an ARN it would make up itself): nothing is written when any. */
  problems: Problem[];
}

const runsIn = (step: ProcessStep, environment: string) => !step.environments || step.environments.includes(environment);

/** The task definition step a service step runs: the one it names, else the nearest before it (as the process decides). */
function taskDefinitionStepOf(steps: readonly ProcessStep[], service: ProcessStep): ProcessStep | undefined {
  if (service.taskDefinitionFrom !== undefined) return steps.find((s) => s.name === service.taskDefinitionFrom);
  return steps.slice(0, steps.indexOf(service)).reverse().find((s) => s.uses === "task-definition");
}

/** AWS registers awsvpc tasks (every Fargate task) by IP, bridge and host ones by instance. */
function targetTypeOf(steps: readonly ProcessStep[], service: ProcessStep): WantedTargetGroupSettings["targetType"] {
  const taskDefinition = taskDefinitionStepOf(steps, service);
  const networkMode = taskDefinition ? loadTaskDefinitionStep(taskDefinition.file).input.template.networkMode : undefined;
  return networkMode === "bridge" || networkMode === "host" ? "instance" : "ip";
}

function loadBalancerFor(project: DeployableProject, environment: string, target: Target, problems: Problem[]): WantedLoadBalancer | undefined {
  const lb = target.loadBalancer;
  if (!lb) return undefined;
  const file = project.project.targetsFile ?? project.project.file;
  const at = `/targets/${environment}/loadBalancer`;
  // The simulator makes up the ARNs of what it creates: what a target names by ARN cannot be created as named.
  const byArn = [
    { path: "listener", what: "the listener", value: "arn" in lb.listener ? lb.listener.arn : "", instead: "listener: { loadBalancer: <name>, port: 80 }" },
    { path: "targetGroups/primary", what: "the primary target group", value: lb.targetGroups.primary, instead: "the target group's name" },
    { path: "targetGroups/canary", what: "the canary target group", value: lb.targetGroups.canary, instead: "the target group's name" },
  ].filter((ref) => ref.value.startsWith("arn:"));
  for (const ref of byArn) {
    problems.push({ file, path: `${at}/${ref.path}`, message: `${ref.what} is named by ARN (${ref.value}); the simulator makes up its ARNs, so it cannot create one with this ARN.`, hint: `Name it instead: ${ref.instead}.` });
  }
  if (byArn.length > 0 || "arn" in lb.listener) return undefined;
  const steps = project.process.steps.filter((s) => runsIn(s, environment));
  // The target group port and network are the first service step's that binds this target's load balancer.
  let bound: { step: ProcessStep; settings: ServiceSettings } | undefined;
  for (const step of steps.filter((s) => s.uses === "service")) {
    const settings = settingsFor(loadServiceStep(step.file).raw, environment);
    if (settings.loadBalancer) {
      bound = { step, settings };
      break;
    }
  }
  const extraTargetGroups = steps
    .filter((s) => s.uses === "verification")
    .map((s) => loadVerificationStep(s.file).input.targetGroup)
    .filter((g) => g !== "canary" && g !== "primary" && g !== lb.targetGroups.primary && g !== lb.targetGroups.canary && !g.startsWith("arn:"));
  const subnets = bound?.settings.network?.subnets ?? [];
  const securityGroups = bound?.settings.network?.securityGroups ?? [];
  return {
    name: lb.listener.loadBalancer,
    listenerPort: lb.listener.port,
    targetGroups: { ...lb.targetGroups },
    extraTargetGroups: [...new Set(extraTargetGroups)],
    targetGroup: { port: bound?.settings.loadBalancer?.containerPort ?? 80, targetType: bound ? targetTypeOf(project.process.steps, bound.step) : "ip" },
    // An ALB spans two subnets at least; with fewer named, the simulator makes up two.
    ...(subnets.length >= 2 && { subnets }),
    ...(securityGroups.length > 0 && { securityGroups }),
  };
}

/** The ECR repositories the project's task definition steps choose images from, in process order. */
export function projectRepositories(project: DeployableProject): string[] {
  const repositories = project.process.steps.filter((s) => s.uses === "task-definition").flatMap((s) => loadTaskDefinitionStep(s.file).input.containers.map((c) => c.repository));
  return [...new Set(repositories)];
}

/** The secret variables each environment reads (the project's default ones, or its own), with their names. */
export function projectSecrets(project: DeployableProject): { environment: string; name: string; secret: SecretVariable }[] {
  const variables = project.process.variables;
  return project.project.lifecycle.names.flatMap((environment) =>
    Object.entries({ ...variables.default, ...variables[environment] }).flatMap(([name, value]) => (typeof value === "object" ? [{ environment, name, secret: value }] : [])),
  );
}

/** Each environment's valueFrom secrets, where a task there fetches them: the ARN's region, else the target's. */
function valueFromSecrets(project: DeployableProject, environments: readonly WantedEnvironment[]): WantedSecret[] {
  const wanted: WantedSecret[] = [];
  for (const { environment, secret } of projectSecrets(project)) {
    const env = environments.find((e) => e.environment === environment);
    if (!env || !("valueFrom" in secret)) continue;
    const region = secret.valueFrom.startsWith("arn:") ? (secret.valueFrom.split(":")[3] ?? "") || env.connection.region : env.connection.region;
    const connection = { endpoint: env.connection.endpoint, region };
    if (wanted.some((w) => w.valueFrom === secret.valueFrom && w.connection.endpoint === connection.endpoint && w.connection.region === region)) continue;
    wanted.push({ environment, connection, valueFrom: secret.valueFrom });
  }
  return wanted;
}

/**
 * Everything the project's targets and step files name, per environment in lifecycle order: its cluster, its
 * load balancer with listener and target groups (and the groups a verification step names), the ECR
 * repositories with the images asked for, and the valueFrom secrets its variables name. Environments must all have a simulator endpoint (checked before).
 */
export function planProjectSeed(project: DeployableProject, images: readonly WantedImage[]): ProjectSeedPlan {
  const problems: Problem[] = [];
  const environments: WantedEnvironment[] = [];
  for (const environment of project.project.lifecycle.names) {
    const target = project.targets.get(environment);
    if (!target?.endpoint) continue;
    const loadBalancer = loadBalancerFor(project, environment, target, problems);
    environments.push({ environment, connection: { region: target.region, endpoint: target.endpoint }, cluster: target.cluster, ...(loadBalancer && { loadBalancer }) });
  }
  return { wanted: { environments, repositories: projectRepositories(project), images: [...images], secrets: valueFromSecrets(project, environments) }, problems };
}
