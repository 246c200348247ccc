/**
 * The service step's input as written in its step file (schemas/steps/service.schema.json), and the settings it
 * comes to for one environment once that environment's values are laid over the defaults.
 */
import type { Tag } from "@aws-sdk/client-ecs";
import { pickDefinition, type ServiceDefinition } from "./definition.js";
import { isNativeMode, nativeSettingsFor, type NativeModeName, type NativeSettings, type RawNativeApproval, type RawNativeVerification } from "./native/settings.js";
import { defaultStages, stagesIn, type RawStage } from "./task-sets/stages.js";

export type ModeName = "rolling" | "canary" | "blue-green" | NativeModeName;
export type LaunchType = "FARGATE" | "EC2";

export interface NetworkSettings {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

/** CloudWatch alarms ECS watches during a rolling deployment (deploymentConfiguration.alarms). */
export interface DeploymentAlarms {
  alarmNames: string[];
  enable: boolean;
  rollback: boolean;
}

export interface DeploymentSettings {
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** Absent: the step does not set them, and the service keeps whatever alarms it has. */
  alarms?: DeploymentAlarms;
}

/** A target group beyond the target's primary one (an NLB's, a second ALB's), in ECS's LoadBalancer shape. */
export interface ExtraLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export type SchedulingStrategy = "REPLICA" | "DAEMON";

/** What a step file may set per environment: everything but the service's name and its task definition. */
export interface RawEnvironmentValues extends ServiceDefinition {
  /** dev rolling, prod canary: one step file, each environment its own mode (and stages). */
  mode?: ModeName;
  stages?: RawStage[];
  desiredCount?: number;
  network?: { subnets: string[]; securityGroups?: string[]; assignPublicIp?: boolean };
  deployment?: {
    minimumHealthyPercent?: number;
    maximumPercent?: number;
    circuitBreaker?: { enable?: boolean; rollback?: boolean };
    alarms?: DeploymentAlarms;
    /** ecs-* modes: ECS's own members, as ECS names them. */
    bakeTimeInMinutes?: number;
    linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
    canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  };
  /** ecs-* modes: the role ECS changes the listener rules with (name or ARN). */
  loadBalancerRole?: string;
  /** ecs-* modes: the test listener rule's conditions and the probes run while test traffic reaches green. */
  verification?: RawNativeVerification;
  /** ecs-* modes: a person's go-ahead at lifecycle stages (pause hooks). */
  approvals?: RawNativeApproval[];
  healthCheckGracePeriodSeconds?: number;
  waitTimeoutSeconds?: number;
  trafficSettleSeconds?: number;
  autoscaling?: { suspendScaleIn?: boolean };
  loadBalancer?: { containerName: string; containerPort: number };
  loadBalancers?: ExtraLoadBalancer[];
  launchType?: LaunchType;
  schedulingStrategy?: SchedulingStrategy;
  tags?: Tag[];
  forceNewDeployment?: boolean;
}

/** A service step's task definition taken from the feed: a revision of `family` chosen at release time. */
export interface PackageRule {
  family: string;
  /** "newest" (the default), a revision number, or a revision range (revision-range.ts). */
  version?: string | number;
}

export interface RawServiceStep extends RawEnvironmentValues {
  service: string;
  taskDefinition?: string;
  package?: PackageRule;
  environments?: Record<string, RawEnvironmentValues>;
}

/** The step's settings for one environment, every default filled in. */
export interface ServiceSettings {
  service: string;
  mode: ModeName;
  /**
   * canary and blue-green: the stages this environment walks — its own, else the step's, else the mode's
   * defaults — without those limited to other environments. Empty for rolling.
   */
  stages: RawStage[];
  /** ecs-* modes: ECS's strategy, bake times, and slipway's verification and approvals as pause hooks. */
  native?: NativeSettings;
  /** family, family:revision or ARN; absent when it comes from the task definition step or the command line. */
  taskDefinition?: string;
  /** REPLICA: the count; DAEMON services have none (one task per container instance), 0 here. */
  desiredCount: number;
  schedulingStrategy: SchedulingStrategy;
  loadBalancer?: { containerName: string; containerPort: number };
  /** rolling: more target groups for the service's tasks, by ARN. Absent (with no loadBalancer either): the service's stay. */
  loadBalancers?: ExtraLoadBalancer[];
  /** Absent when the step gives a capacity provider strategy instead (ECS takes one or the other). */
  launchType?: LaunchType;
  network?: NetworkSettings;
  /** ECS's own members the step sets (capacity providers, Service Connect, placement, …), as written. */
  definition: ServiceDefinition;
  /** Tags the step sets: added or changed on the service; tags it does not name are left alone. */
  tags: Tag[];
  deployment: DeploymentSettings;
  healthCheckGracePeriodSeconds?: number;
  forceNewDeployment: boolean;
  waitTimeoutSeconds: number;
  /**
   * canary and blue-green: how long, on AWS's clock, the load balancer is given to apply new weights before the
   * task set that lost its traffic is deleted or scaled down.
   */
  trafficSettleSeconds: number;
  /**
   * canary and blue-green: suspend Application Auto Scaling's dynamic scale-in while the deployment runs (and
   * restore it after, however it ends), so the old and new task sets keep their capacity meanwhile.
   */
  suspendScaleIn: boolean;
}

export const defaultWaitTimeoutSeconds = 900;
/**
 * An ALB applies a weight change on its nodes some time after ModifyListener or ModifyRule returns (AWS gives no
 * figure; users of other tools report seconds). A task set deleted inside that time still gets requests from nodes
 * on the old weights, and they fail: its targets are draining. Ten seconds is a margin over what is reported.
 */
export const defaultTrafficSettleSeconds = 10;

/** The step's values for `environment`: that environment's own over the step's, over slipway's defaults. */
export function settingsFor(raw: RawServiceStep, environment: string): ServiceSettings {
  const own = raw.environments?.[environment] ?? {};
  const network = own.network ?? raw.network;
  const deployment = { ...raw.deployment, ...own.deployment, circuitBreaker: { ...raw.deployment?.circuitBreaker, ...own.deployment?.circuitBreaker } };
  const grace = own.healthCheckGracePeriodSeconds ?? raw.healthCheckGracePeriodSeconds;
  const mode = own.mode ?? raw.mode ?? "rolling";
  const placement = placementFor(raw, own);
  const { capacityProviderStrategy: _step, ...others } = pickDefinition(raw);
  const definition = { ...others, ...pickDefinition(own), ...(placement.capacityProviderStrategy && { capacityProviderStrategy: placement.capacityProviderStrategy }) };
  const launchType = placement.launchType;
  const loadBalancer = own.loadBalancer ?? raw.loadBalancer;
  const alarms = own.deployment?.alarms ?? raw.deployment?.alarms;
  const schedulingStrategy = own.schedulingStrategy ?? raw.schedulingStrategy ?? "REPLICA";
  // ECS's defaults differ for a daemon: it may never run more than one task per instance (at most 100 %).
  const defaults = schedulingStrategy === "DAEMON" ? { minimumHealthyPercent: 0, maximumPercent: 100 } : { minimumHealthyPercent: 100, maximumPercent: 200 };
  return {
    service: raw.service,
    mode,
    stages: mode === "canary" || mode === "blue-green" ? stagesIn(own.stages ?? raw.stages ?? defaultStages[mode], environment) : [],
    ...(isNativeMode(mode) && { native: nativeSettingsFor(mode, raw, own, environment) }),
    ...(raw.taskDefinition !== undefined && { taskDefinition: raw.taskDefinition }),
    desiredCount: own.desiredCount ?? raw.desiredCount ?? 0,
    schedulingStrategy,
    ...(loadBalancer && { loadBalancer }),
    ...((own.loadBalancers ?? raw.loadBalancers) && { loadBalancers: own.loadBalancers ?? raw.loadBalancers }),
    ...(launchType && { launchType }),
    definition,
    tags: mergeTags(raw.tags, own.tags),
    ...(network && { network: { subnets: network.subnets, securityGroups: network.securityGroups ?? [], assignPublicIp: network.assignPublicIp ?? false } }),
    deployment: {
      minimumHealthyPercent: deployment.minimumHealthyPercent ?? defaults.minimumHealthyPercent,
      maximumPercent: deployment.maximumPercent ?? defaults.maximumPercent,
      // On by default: a deploy tool should stop a release whose tasks cannot start rather than retry forever.
      circuitBreaker: { enable: deployment.circuitBreaker.enable ?? true, rollback: deployment.circuitBreaker.rollback ?? true },
      ...(alarms && { alarms }),
    },
    ...(grace !== undefined && { healthCheckGracePeriodSeconds: grace }),
    forceNewDeployment: own.forceNewDeployment ?? raw.forceNewDeployment ?? false,
    waitTimeoutSeconds: own.waitTimeoutSeconds ?? raw.waitTimeoutSeconds ?? defaultWaitTimeoutSeconds,
    trafficSettleSeconds: own.trafficSettleSeconds ?? raw.trafficSettleSeconds ?? defaultTrafficSettleSeconds,
    suspendScaleIn: own.autoscaling?.suspendScaleIn ?? raw.autoscaling?.suspendScaleIn ?? false,
  };
}

/** The step's tags with the environment's laid over them, key by key (a team tag everywhere, an environment tag each). */
function mergeTags(step: Tag[] | undefined, own: Tag[] | undefined): Tag[] {
  const byKey = new Map<string, Tag>();
  for (const tag of [...(step ?? []), ...(own ?? [])]) byKey.set(tag.key ?? "", tag);
  return [...byKey.values()];
}

/**
 * Where an environment's tasks run: its own launch type or strategy replaces the step's of either kind (prod on
 * FARGATE_SPOT, dev on FARGATE); with neither anywhere, FARGATE — not the cluster's default strategy, which is
 * what slipway always did.
 */
export function placementFor(raw: RawEnvironmentValues, own: RawEnvironmentValues): Pick<RawEnvironmentValues, "launchType" | "capacityProviderStrategy"> {
  const chosen = own.launchType !== undefined || own.capacityProviderStrategy !== undefined ? own : raw;
  if (chosen.capacityProviderStrategy !== undefined) return { capacityProviderStrategy: chosen.capacityProviderStrategy, ...(chosen.launchType && { launchType: chosen.launchType }) };
  return { launchType: chosen.launchType ?? "FARGATE" };
}

/** Whether tasks placed so run on Fargate, which needs an awsvpc network (FARGATE_SPOT is Fargate too). */
export function runsOnFargate(placement: Pick<RawEnvironmentValues, "launchType" | "capacityProviderStrategy">): boolean {
  const strategy = Array.isArray(placement.capacityProviderStrategy) ? placement.capacityProviderStrategy : [];
  return placement.launchType === "FARGATE" || strategy.some((i) => i.capacityProvider === "FARGATE" || i.capacityProvider === "FARGATE_SPOT");
}
