import type { CreateServiceRequest, CreateServiceResponse } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { CallContext } from "../module.js";
import { runsOnFargate } from "./capacity-strategy.js";
import { ecsState, requireCluster, resolveTaskDefinition } from "./lookup.js";
import { startDeployment } from "./deployments.js";
import { reconcileService } from "./scheduler.js";
import { serviceArn } from "./service-lookup.js";
import type { ControllerType, ServiceRecord, Workload } from "./service-model.js";
import { revisionExtras } from "./revision-extras.js";
import { requireNativeFit } from "./native-settings.js";
import { placementAtCreate } from "./service-capacity.js";
import { DAEMON_DEFAULTS, desiredCountAtCreate, rebalancingAtCreate, refuseDaemonOnFargate, requireDaemonSettings, roleArnAtCreate } from "./service-options.js";
import { deploymentSettings, requireCount } from "./service-settings.js";
import { serviceView } from "./service-view.js";
import { validateLoadBalancers, validateNetwork } from "./workload-validation.js";
import { schedOf } from "./world.js";

const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Parameters that belong on task sets under the EXTERNAL controller (seed 001). AWS refuses them on the
 * service: "TaskDefinition must be blank." is AWS's wording; the others follow the same pattern.
 * serviceRegistries is one of them: CreateTaskSet takes it, for the tasks of that set.
 */
const TASK_SET_ONLY: [keyof CreateServiceRequest, string][] = [
  ["taskDefinition", "TaskDefinition"],
  ["loadBalancers", "LoadBalancers"],
  ["launchType", "LaunchType"],
  ["capacityProviderStrategy", "CapacityProviderStrategy"],
  ["platformVersion", "PlatformVersion"],
  ["networkConfiguration", "NetworkConfiguration"],
  ["serviceRegistries", "ServiceRegistries"],
];

/**
 * Revision parts CreateTaskSet does not take, so an EXTERNAL service could never run them. Refused with our own
 * wording; so are alarms, which AWS documents for the ECS controller only (DeploymentAlarms).
 */
const ECS_CONTROLLER_ONLY: [keyof CreateServiceRequest, string][] = [
  ["serviceConnectConfiguration", "Service Connect"],
  ["volumeConfigurations", "volumeConfigurations"],
  ["vpcLatticeConfigurations", "VPC Lattice"],
];

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}

export function createService(input: CreateServiceRequest, ctx: CallContext): CreateServiceResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const cluster = requireCluster(state, input.cluster);
  const name = input.serviceName;
  if (!name) throw invalidParameter("serviceName can not be blank.");
  if (!NAME.test(name)) throw invalidParameter("Service name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.");
  const arn = serviceArn(state, cluster, name);
  const existing = state.services.get(arn);
  if (existing && existing.status !== "INACTIVE") throw invalidParameter("Creation of service was not idempotent.");

  const controller = (input.deploymentController?.type ?? "ECS") as ControllerType;
  if (controller === "CODE_DEPLOY") throw invalidParameter("The simulator does not support the CODE_DEPLOY deployment controller; use ECS or EXTERNAL.");
  const schedulingStrategy = input.schedulingStrategy ?? "REPLICA";
  if (controller === "EXTERNAL") {
    for (const [field, label] of TASK_SET_ONLY) if (isGiven(input[field])) throw invalidParameter(`${label} must be blank.`);
    if (schedulingStrategy !== "REPLICA") throw invalidParameter("Services using the EXTERNAL deployment controller support only the REPLICA scheduling strategy.");
    for (const [field, label] of ECS_CONTROLLER_ONLY) {
      if (isGiven(input[field])) throw invalidParameter(`${label} is not supported for services with an EXTERNAL deployment controller.`);
    }
    if (input.deploymentConfiguration?.alarms) throw invalidParameter("Deployment alarms are only supported for services with the ECS deployment controller.");
  }
  const desiredCount = desiredCountAtCreate(requireCount(input.desiredCount, "desiredCount"), schedulingStrategy);
  const grace = requireCount(input.healthCheckGracePeriodSeconds, "healthCheckGracePeriodSeconds");

  let workload: Workload | undefined;
  let launchTypeAtCreation: string | undefined;
  let awsvpc = false;
  if (controller === "ECS") {
    if (!input.taskDefinition) throw invalidParameter("TaskDefinition can not be blank.");
    const definition = resolveTaskDefinition(state, input.taskDefinition);
    const placement = placementAtCreate(input, cluster);
    refuseDaemonOnFargate(schedulingStrategy, placement);
    launchTypeAtCreation = placement.launchType;
    const runsOn = runsOnFargate(placement) ? "FARGATE" : placement.launchType;
    validateNetwork(definition, input.networkConfiguration, runsOn);
    awsvpc = (definition.definition.networkMode ?? (runsOn === "FARGATE" ? "awsvpc" : "bridge")) === "awsvpc";
    workload = {
      taskDefinitionArn: definition.arn,
      loadBalancers: validateLoadBalancers(ctx, input.loadBalancers ?? [], definition),
      ...placement,
      ...(input.platformVersion !== undefined && { platformVersion: input.platformVersion }),
      ...(input.networkConfiguration !== undefined && { networkConfiguration: input.networkConfiguration }),
      ...revisionExtras(input, definition, schedulingStrategy, {}, cluster.serviceConnectDefaults?.namespace),
    };
  }
  const roleArn = roleArnAtCreate(input.role, ctx.account, {
    awsvpc,
    external: controller === "EXTERNAL",
    registries: (input.serviceRegistries ?? []).length > 0,
    loadBalancers: (input.loadBalancers ?? []).length > 0,
  });
  const placementStrategy = input.placementStrategy ?? [];
  const settings = requireDaemonSettings(schedulingStrategy, deploymentSettings(input.deploymentConfiguration, schedulingStrategy === "DAEMON" ? DAEMON_DEFAULTS : undefined));
  requireNativeFit(controller, settings, workload?.loadBalancers ?? []);

  const service: ServiceRecord = {
    arn,
    name,
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: "ACTIVE",
    controller,
    desiredCount,
    runningCount: 0,
    pendingCount: 0,
    schedulingStrategy,
    deploymentConfiguration: settings,
    ...(grace !== undefined && { healthCheckGracePeriodSeconds: grace }),
    ...(input.propagateTags !== undefined && { propagateTags: input.propagateTags }),
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    placementConstraints: input.placementConstraints ?? [],
    placementStrategy,
    availabilityZoneRebalancing: rebalancingAtCreate(input.availabilityZoneRebalancing, {
      placementStrategy,
      schedulingStrategy,
      launchType: launchTypeAtCreation,
      maximumPercent: settings.maximumPercent,
    }),
    ...(roleArn !== undefined && { roleArn }),
    deployments: [],
    taskSets: [],
    events: [],
    createdAt: ctx.now,
    createdBy: `arn:aws:iam::${ctx.account}:root`,
    ...(launchTypeAtCreation !== undefined && { launchTypeAtCreation }),
    steady: false,
  };
  if (existing) {
    // A re-created service starts afresh; the old one's tasks have all stopped (it was INACTIVE).
    s.world.tasksByService.delete(arn);
  }
  state.services.set(arn, service);
  if (input.tags?.length) state.tags.set(arn, input.tags);
  else state.tags.delete(arn);
  if (workload) startDeployment(s, service, workload, ctx.now);
  reconcileService(s, service, ctx.now);
  // AWS answers before its scheduler has counted the service's first tasks: the service-level counts start at 0.
  return { service: { ...serviceView(s, service, false), pendingCount: 0, runningCount: 0 } };
}
