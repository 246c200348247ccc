/**
 * The service step's input as written in its step file (schemas/steps/service.schema.json), and the settings it
 * comes to for one environment once that environment's values are laid over the defaults.
 */
import { defaultStages, stagesIn, type RawStage } from "./task-sets/stages.js";

export type ModeName = "rolling" | "canary" | "blue-green";
export type LaunchType = "FARGATE" | "EC2";

export interface NetworkSettings {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

export interface DeploymentSettings {
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
}

/** What a step file may set per environment. */
export interface RawEnvironmentValues {
  /** dev rolling, prod canary: one step file, each environment its own mode (and stages). */
  mode?: ModeName;
  stages?: RawStage[];
  desiredCount?: number;
  network?: { subnets: string[]; securityGroups?: string[]; assignPublicIp?: boolean };
  deployment?: { minimumHealthyPercent?: number; maximumPercent?: number; circuitBreaker?: { enable?: boolean; rollback?: boolean } };
  healthCheckGracePeriodSeconds?: number;
  waitTimeoutSeconds?: number;
  autoscaling?: { suspendScaleIn?: boolean };
}

export interface RawServiceStep extends RawEnvironmentValues {
  service: string;
  taskDefinition?: string;
  desiredCount: number;
  loadBalancer?: { containerName: string; containerPort: number };
  launchType?: LaunchType;
  forceNewDeployment?: boolean;
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
  /** family, family:revision or ARN; absent when it comes from the task definition step or the command line. */
  taskDefinition?: string;
  desiredCount: number;
  loadBalancer?: { containerName: string; containerPort: number };
  launchType: LaunchType;
  network?: NetworkSettings;
  deployment: DeploymentSettings;
  healthCheckGracePeriodSeconds?: number;
  forceNewDeployment: boolean;
  waitTimeoutSeconds: number;
  /**
   * canary and blue-green: suspend Application Auto Scaling's dynamic scale-in while the deployment runs (and
   * restore it after, however it ends), so the old and new task sets keep their capacity meanwhile.
   */
  suspendScaleIn: boolean;
}

export const defaultWaitTimeoutSeconds = 900;

/** The step's values for `environment`: that environment's own over the step's, over slipway's defaults. */
export function settingsFor(raw: RawServiceStep, environment: string): ServiceSettings {
  const own = raw.environments?.[environment] ?? {};
  const network = own.network ?? raw.network;
  const deployment = { ...raw.deployment, ...own.deployment, circuitBreaker: { ...raw.deployment?.circuitBreaker, ...own.deployment?.circuitBreaker } };
  const grace = own.healthCheckGracePeriodSeconds ?? raw.healthCheckGracePeriodSeconds;
  const mode = own.mode ?? raw.mode ?? "rolling";
  return {
    service: raw.service,
    mode,
    stages: mode === "rolling" ? [] : stagesIn(own.stages ?? raw.stages ?? defaultStages[mode], environment),
    ...(raw.taskDefinition !== undefined && { taskDefinition: raw.taskDefinition }),
    desiredCount: own.desiredCount ?? raw.desiredCount,
    ...(raw.loadBalancer && { loadBalancer: raw.loadBalancer }),
    launchType: raw.launchType ?? "FARGATE",
    ...(network && { network: { subnets: network.subnets, securityGroups: network.securityGroups ?? [], assignPublicIp: network.assignPublicIp ?? false } }),
    deployment: {
      minimumHealthyPercent: deployment.minimumHealthyPercent ?? 100,
      maximumPercent: deployment.maximumPercent ?? 200,
      // On by default: a deploy tool should stop a release whose tasks cannot start rather than retry forever.
      circuitBreaker: { enable: deployment.circuitBreaker.enable ?? true, rollback: deployment.circuitBreaker.rollback ?? true },
    },
    ...(grace !== undefined && { healthCheckGracePeriodSeconds: grace }),
    forceNewDeployment: raw.forceNewDeployment ?? false,
    waitTimeoutSeconds: own.waitTimeoutSeconds ?? raw.waitTimeoutSeconds ?? defaultWaitTimeoutSeconds,
    suspendScaleIn: own.autoscaling?.suspendScaleIn ?? raw.autoscaling?.suspendScaleIn ?? false,
  };
}
