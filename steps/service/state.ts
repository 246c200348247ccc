import type { AdvancedConfiguration, AwsVpcConfiguration, DeploymentConfiguration, DeploymentLifecycleHook, Service, Tag } from "@aws-sdk/client-ecs";
import type { ServiceScaling } from "../../src/aws/scalable-targets.js";
import { observedDefinition, type ServiceDefinition } from "./definition.js";
import type { DeploymentSettings, LaunchType, NetworkSettings, SchedulingStrategy } from "./input.js";

/** A load balancer binding as ECS takes it. */
export interface LoadBalancerBinding {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  /** ECS's blue/green, linear and canary: the alternate group, the listener rules ECS shifts and its role. */
  advancedConfiguration?: AdvancedConfiguration;
}

/** An ecs-* mode's members of ECS's deployment configuration, as UpdateService takes them. */
export interface NativeDeployment {
  strategy: "BLUE_GREEN" | "LINEAR" | "CANARY";
  bakeTimeInMinutes: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  /** slipway's pause hooks (verification, approvals): one per lifecycle stage it has work at. */
  lifecycleHooks: DeploymentLifecycleHook[];
}

/** What the service should be in one environment: the step's settings with every reference resolved to an ARN. */
export interface DesiredService {
  cluster: string;
  serviceName: string;
  taskDefinitionArn: string;
  desiredCount: number;
  schedulingStrategy: SchedulingStrategy;
  /** Absent when the definition gives a capacity provider strategy. */
  launchType?: LaunchType;
  network?: NetworkSettings;
  /** Absent when the step binds no target group: the service keeps the ones it has. */
  loadBalancers?: LoadBalancerBinding[];
  deployment: DeploymentSettings;
  /** ecs-* modes: ECS's strategy and its settings; absent: rolling updates. */
  native?: NativeDeployment;
  healthCheckGracePeriodSeconds?: number;
  forceNewDeployment: boolean;
  definition: ServiceDefinition;
  tags: Tag[];
}

export type ControllerType = "ECS" | "EXTERNAL" | "CODE_DEPLOY";

/** The service as ECS described it, in the same terms as DesiredService so the two compare field by field. */
export interface ObservedService {
  arn: string;
  name: string;
  /** The cluster's name. */
  cluster: string;
  status: string;
  controller: ControllerType;
  taskDefinitionArn?: string;
  desiredCount: number;
  schedulingStrategy: SchedulingStrategy;
  launchType?: string;
  network?: NetworkSettings;
  loadBalancers: LoadBalancerBinding[];
  deployment: DeploymentSettings;
  /** ECS's deployment configuration as described: an update sends back what the step does not write (alarms, the breaker's tuning). */
  deploymentConfiguration?: DeploymentConfiguration;
  healthCheckGracePeriodSeconds?: number;
  definition: ServiceDefinition;
  /** The service's tags; absent when DescribeServices was not asked for them. */
  tags?: Tag[];
  /** The ECS deployment that is PRIMARY now, and whether it has finished rolling out. */
  primary?: { id: string; taskDefinitionArn?: string; rolloutState?: string };
  deploymentCount: number;
  /** Ids of the events ECS holds now: a later watch shows only events that are not among them. */
  eventIds: string[];
  /** Whether Application Auto Scaling manages the desired count; absent when it was not read. */
  scaling?: ServiceScaling;
}

/** ECS's awsvpc configuration in the step's terms (assignPublicIp a boolean). */
export function networkOf(vpc: AwsVpcConfiguration): NetworkSettings {
  return { subnets: vpc.subnets ?? [], securityGroups: vpc.securityGroups ?? [], assignPublicIp: vpc.assignPublicIp === "ENABLED" };
}

/** ECS's description → the step's terms. Pure. */
export function observe(service: Service): ObservedService {
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  const alarms = service.deploymentConfiguration?.alarms;
  const primary = service.deployments?.find((d) => d.status === "PRIMARY");
  return {
    arn: service.serviceArn ?? "",
    name: service.serviceName ?? "",
    cluster: service.clusterArn?.split("/").at(-1) ?? "",
    status: service.status ?? "ACTIVE",
    controller: (service.deploymentController?.type ?? "ECS") as ControllerType,
    ...(service.taskDefinition !== undefined && { taskDefinitionArn: service.taskDefinition }),
    desiredCount: service.desiredCount ?? 0,
    schedulingStrategy: service.schedulingStrategy === "DAEMON" ? "DAEMON" : "REPLICA",
    ...(service.launchType !== undefined && { launchType: service.launchType }),
    ...(vpc && { network: networkOf(vpc) }),
    loadBalancers: (service.loadBalancers ?? []).map((lb) => ({ targetGroupArn: lb.targetGroupArn ?? "", containerName: lb.containerName ?? "", containerPort: lb.containerPort ?? 0, ...(lb.advancedConfiguration && { advancedConfiguration: lb.advancedConfiguration }) })),
    deployment: {
      minimumHealthyPercent: service.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      maximumPercent: service.deploymentConfiguration?.maximumPercent ?? 200,
      circuitBreaker: { enable: breaker?.enable ?? false, rollback: breaker?.rollback ?? false },
      ...(alarms && { alarms: { alarmNames: alarms.alarmNames ?? [], enable: alarms.enable ?? false, rollback: alarms.rollback ?? false } }),
    },
    ...(service.deploymentConfiguration && { deploymentConfiguration: service.deploymentConfiguration }),
    ...(service.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }),
    definition: observedDefinition(service),
    ...(service.tags !== undefined && { tags: service.tags }),
    ...(primary?.id !== undefined && { primary: { id: primary.id, ...(primary.taskDefinition !== undefined && { taskDefinitionArn: primary.taskDefinition }), ...(primary.rolloutState !== undefined && { rolloutState: primary.rolloutState }) } }),
    deploymentCount: service.deployments?.length ?? 0,
    eventIds: (service.events ?? []).map((e) => e.id ?? "").filter((id) => id !== ""),
  };
}

/** "shop-web:12" for an ARN ending task-definition/shop-web:12; anything else as given. */
export function revisionLabel(taskDefinition: string | undefined): string {
  if (!taskDefinition) return "(none)";
  return /task-definition\/(.+)$/.exec(taskDefinition)?.[1] ?? taskDefinition;
}
