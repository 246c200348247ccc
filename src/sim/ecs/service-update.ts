import type { UpdateServiceRequest, UpdateServiceResponse } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { CallContext } from "../module.js";
import { ownEntry } from "../own.js";
import { runsOnFargate } from "./capacity-strategy.js";
import { ecsState, resolveTaskDefinition } from "./lookup.js";
import { circuitBreakerThreshold, startDeployment, workloadOf } from "./deployments.js";
import { migrateController } from "./controller-migration.js";
import { reconcileService } from "./scheduler.js";
import { requireActiveService } from "./service-lookup.js";
import type { ControllerType, ServiceRecord, Workload } from "./service-model.js";
import { revisionExtras } from "./revision-extras.js";
import { requireNativeFit } from "./native-settings.js";
import { placementAtUpdate, type Placement } from "./service-capacity.js";
import { DAEMON_COUNT, requireDaemonSettings, requireRebalancing } from "./service-options.js";
import { deploymentSettings, requireCount } from "./service-settings.js";
import { serviceView } from "./service-view.js";
import { validateLoadBalancers, validateNetwork } from "./workload-validation.js";
import { schedOf, type Sched } from "./world.js";

/**
 * What UpdateService may change on an EXTERNAL service; the rest is a task set's business (seed 001). UpdateService's
 * documentation lists desired count, placement, grace period, managed tags and propagate tags; enableExecuteCommand
 * and availabilityZoneRebalancing are not among them, so they are refused like the revision's parts.
 */
const EXTERNAL_FIELDS = new Set(["cluster", "service", "desiredCount", "healthCheckGracePeriodSeconds", "deploymentConfiguration", "deploymentController", "propagateTags", "enableECSManagedTags", "placementConstraints", "placementStrategy"]);
const FIELD_LABEL: Record<string, string> = {
  taskDefinition: "task definition",
  loadBalancers: "load balancers",
  networkConfiguration: "network configuration",
  launchType: "launch type",
  capacityProviderStrategy: "capacity provider strategy",
  platformVersion: "platform version",
  serviceRegistries: "service registries",
  serviceConnectConfiguration: "Service Connect configuration",
  volumeConfigurations: "volume configurations",
  vpcLatticeConfigurations: "VPC Lattice configurations",
  availabilityZoneRebalancing: "Availability Zone rebalancing",
  enableExecuteCommand: "execute command",
  forceNewDeployment: "deployment",
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function updateService(input: UpdateServiceRequest, ctx: CallContext): UpdateServiceResponse {
  const state = ecsState(ctx);
  const s = schedOf(state, ctx.sim);
  const service = requireActiveService(state, input.cluster, input.service);
  const desiredCount = requireCount(input.desiredCount, "desiredCount");
  const grace = requireCount(input.healthCheckGracePeriodSeconds, "healthCheckGracePeriodSeconds");
  const newController = input.deploymentController?.type as ControllerType | undefined;

  if (service.controller === "EXTERNAL") {
    for (const [field, value] of Object.entries(input)) {
      if (EXTERNAL_FIELDS.has(field) || value === undefined || value === null || value === false) continue;
      const label = ownEntry(FIELD_LABEL, field) ?? field;
      throw invalidParameter(`Unable to update ${label} on services with a EXTERNAL deployment controller. Use task sets to change it.`);
    }
    // DeploymentAlarms: "You can only use the DeploymentAlarms method to detect failures when the DeploymentController is set to ECS." Our wording.
    if (input.deploymentConfiguration?.alarms) throw invalidParameter("Deployment alarms are only supported for services with the ECS deployment controller.");
  }
  if (service.schedulingStrategy === "DAEMON" && desiredCount !== undefined) throw invalidParameter(DAEMON_COUNT);
  const rebalancing = requireRebalancing(input.availabilityZoneRebalancing);
  // Checked before anything changes, so a refused strategy leaves the service as it was.
  const placement = service.controller === "ECS" && service.workload ? placementAtUpdate(input, service, service.workload) : undefined;
  const settings = input.deploymentConfiguration
    ? requireDaemonSettings(service.schedulingStrategy, deploymentSettings(input.deploymentConfiguration, service.deploymentConfiguration))
    : service.deploymentConfiguration;
  if (newController && newController !== service.controller) {
    // D-upd: a service cannot leave the ECS controller while its deploymentConfiguration has a BLUE_GREEN strategy;
    // LINEAR and CANARY are refused too (not documented either way; the conservative reading).
    if (service.controller === "ECS" && settings.strategy !== "ROLLING") {
      throw invalidParameter(`Updating the deployment controller from ECS is not supported when the deployment configuration uses the ${settings.strategy} strategy.`);
    }
    migrateController(s, service, newController, ctx.now);
  }
  // Checked before anything else changes: the native strategies against the load balancers the service will have.
  const next = service.controller === "ECS" ? nextWorkload(input, ctx, service, placement) : undefined;
  requireNativeFit(service.controller, settings, (next ?? service.workload)?.loadBalancers ?? []);
  service.deploymentConfiguration = settings;
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  if (input.propagateTags !== undefined) service.propagateTags = input.propagateTags;
  if (input.enableECSManagedTags !== undefined) service.enableECSManagedTags = input.enableECSManagedTags;
  if (input.enableExecuteCommand !== undefined) service.enableExecuteCommand = input.enableExecuteCommand;
  // Left out, it keeps the service's value (AWS's model); it never starts a deployment.
  if (rebalancing !== undefined) service.availabilityZoneRebalancing = rebalancing;
  if (desiredCount !== undefined && desiredCount !== service.desiredCount) {
    service.desiredCount = desiredCount;
    service.steady = false;
    updateThreshold(s, service);
  }

  if (next) startDeployment(s, service, next, ctx.now);
  reconcileService(s, service, ctx.now);
  return { service: serviceView(s, service, false) };
}

/** The circuit breaker's threshold follows the latest desired count while the deployment is monitored. */
function updateThreshold(s: Sched, service: ServiceRecord): void {
  const primary = service.deployments.find((d) => d.status === "PRIMARY");
  const record = primary ? s.world.serviceDeployments.get(primary.serviceDeploymentArn) : undefined;
  if (record?.circuitBreaker.status === "MONITORING") record.circuitBreaker.threshold = circuitBreakerThreshold(service.desiredCount);
}

/** The workload of the new deployment the update asks for, or undefined when it only rescales or retunes. */
function nextWorkload(input: UpdateServiceRequest, ctx: CallContext, service: ServiceRecord, placement: Placement | undefined): Workload | undefined {
  const state = ecsState(ctx);
  const current = service.workload;
  if (!current) return undefined;
  const definition = resolveTaskDefinition(state, input.taskDefinition ?? current.taskDefinitionArn);
  const next: Workload = structuredClone(current);
  next.taskDefinitionArn = definition.arn;
  if (input.loadBalancers !== undefined) next.loadBalancers = validateLoadBalancers(ctx, input.loadBalancers, definition);
  if (input.networkConfiguration !== undefined) next.networkConfiguration = input.networkConfiguration;
  if (input.platformVersion !== undefined) next.platformVersion = input.platformVersion;
  if (placement) {
    delete next.launchType;
    delete next.capacityProviderStrategy;
    Object.assign(next, structuredClone(placement));
    // Back on EC2 (an empty strategy's revert) there is no platform version to keep.
    if (next.launchType === "EC2") delete next.platformVersion;
  }
  // Service registries, Service Connect, volumes and VPC Lattice: each given one replaces the carried one, and a
  // new task definition re-checks them all. Any change starts a deployment (UpdateService's documentation).
  const cluster = [...state.clusters.values()].find((c) => c.arn === service.clusterArn);
  const extras = revisionExtras(input, definition, service.schedulingStrategy, current, cluster?.serviceConnectDefaults?.namespace);
  delete next.serviceRegistries;
  delete next.serviceConnectConfiguration;
  delete next.volumeConfigurations;
  delete next.vpcLatticeConfigurations;
  Object.assign(next, extras);
  if (input.taskDefinition !== undefined || input.networkConfiguration !== undefined || placement) {
    validateNetwork(definition, next.networkConfiguration, runsOnFargate(next) ? "FARGATE" : next.launchType);
  }
  const changed = !same(workloadOf(next), workloadOf(current));
  return changed || input.forceNewDeployment ? next : undefined;
}
