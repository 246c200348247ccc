import type {
  AvailabilityZoneRebalancing,
  CapacityProviderStrategyItem,
  DeploymentAlarms,
  CanaryConfiguration,
  DeploymentCircuitBreaker,
  DeploymentLifecycleHook,
  LinearConfiguration,
  LoadBalancer,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  PropagateTags,
  ServiceConnectConfiguration,
  ServiceDeploymentStatus,
  ServiceRegistry,
  ServiceVolumeConfiguration,
  TaskOverride,
  VpcLatticeConfiguration,
} from "@aws-sdk/client-ecs";
import type { ImageBehaviour } from "../faults.js";

/**
 * The records the simulator keeps for services and everything that hangs off them. They are ours, not the
 * SDK's: describe operations turn them into AWS's shapes (service-view.ts), so a record can carry what AWS
 * never shows (a task's image behaviour, the next moment it changes).
 */

export type ControllerType = "ECS" | "EXTERNAL" | "CODE_DEPLOY";
export type RolloutState = "IN_PROGRESS" | "COMPLETED" | "FAILED";

/** What a deployment or a task set runs: the parts of a service AWS calls a service revision. */
export interface Workload {
  taskDefinitionArn: string;
  launchType?: string;
  platformVersion?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  networkConfiguration?: NetworkConfiguration;
  loadBalancers: LoadBalancer[];
  /** Cloud Map registries; a task set's own under EXTERNAL (CreateTaskSet takes them). */
  serviceRegistries?: ServiceRegistry[];
  /** The rest belong to a revision too: AWS shows them on deployments and service revisions, not on the service. */
  serviceConnectConfiguration?: ServiceConnectConfiguration;
  volumeConfigurations?: ServiceVolumeConfiguration[];
  vpcLatticeConfigurations?: VpcLatticeConfiguration[];
}

export type NativeStrategy = "BLUE_GREEN" | "LINEAR" | "CANARY";
export type DeploymentStrategy = "ROLLING" | NativeStrategy;

export interface DeploymentSettings {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: DeploymentCircuitBreaker;
  /** CloudWatch alarms that would fail a deployment; stored and shown, never evaluated (no CloudWatch here). */
  alarms?: DeploymentAlarms;
  /** ROLLING unless given; the native strategies are run by native-controller.ts (see native-strategies.md). */
  strategy: DeploymentStrategy;
  bakeTimeInMinutes?: number;
  lifecycleHooks?: DeploymentLifecycleHook[];
  linearConfiguration?: LinearConfiguration;
  canaryConfiguration?: CanaryConfiguration;
}

/** One entry of a service's deployments[] (ECS controller). */
export interface DeploymentRecord extends Workload {
  id: string;
  status: "PRIMARY" | "ACTIVE" | "INACTIVE";
  desiredCount: number;
  failedTasks: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  createdAt: Date;
  updatedAt: Date;
  serviceRevisionArn: string;
  /** The service deployment this deployment carries out; a circuit-breaker rollback carries the failed one's. */
  serviceDeploymentArn: string;
  /**
   * Set on the green of a native deployment rolled back with no earlier revision to return to (a service's first
   * deployment): it stays PRIMARY at zero tasks, and the controller starts none, until a new deployment replaces it.
   */
  nothingToRun?: true;
}

export interface TaskSetRecord extends Workload {
  id: string;
  arn: string;
  status: "PRIMARY" | "ACTIVE" | "DRAINING";
  scale: { unit: "PERCENT"; value: number };
  computedDesiredCount: number;
  externalId?: string;
  clientToken?: string;
  stabilityStatus: "STEADY_STATE" | "STABILIZING";
  stabilityStatusAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface ServiceEventRecord {
  id: string;
  createdAt: Date;
  message: string;
}

export interface ServiceRecord {
  arn: string;
  name: string;
  clusterArn: string;
  clusterName: string;
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  controller: ControllerType;
  desiredCount: number;
  /** Kept current by the scheduler so cluster counts can read them without walking tasks. */
  runningCount: number;
  pendingCount: number;
  schedulingStrategy: "REPLICA" | "DAEMON";
  deploymentConfiguration: DeploymentSettings;
  healthCheckGracePeriodSeconds?: number;
  propagateTags?: PropagateTags;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  placementConstraints: PlacementConstraint[];
  placementStrategy: PlacementStrategy[];
  availabilityZoneRebalancing: AvailabilityZoneRebalancing;
  /** The IAM role CreateService's `role` named, as an ARN. */
  roleArn?: string;
  /** The service-level workload: the primary deployment's, or (EXTERNAL) the primary task set's. */
  workload?: Workload;
  deployments: DeploymentRecord[];
  taskSets: TaskSetRecord[];
  /** Newest first, capped at EVENT_LIMIT. */
  events: ServiceEventRecord[];
  createdAt: Date;
  createdBy: string;
  /**
   * The launch type the service was created with (given, or EC2 by default); none when it was created on a
   * capacity provider strategy. UpdateService's empty strategy reverts to it.
   */
  launchTypeAtCreation?: string;
  /** When the service turned INACTIVE; it stays describable for a while after. */
  inactiveAt?: Date;
  /** The deployment that last completed, which a circuit-breaker rollback returns to. */
  lastCompleted?: { id: string; revisionArn: string };
  /** Set when the service last reported a steady state, so it is not reported again until something changes. */
  steady: boolean;
}

export type TaskStatus = "PROVISIONING" | "PENDING" | "ACTIVATING" | "RUNNING" | "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED";

export type HealthStatus = "HEALTHY" | "UNHEALTHY" | "UNKNOWN";

/**
 * A container's health check as the simulator runs it: its task definition's `healthCheck` with AWS's defaults
 * filled in, and whether its image passes it (container-health.ts). The check's command is never run.
 */
export interface ContainerCheck {
  intervalSeconds: number;
  retries: number;
  startPeriodSeconds: number;
  passes: boolean;
}

export interface TaskContainerRecord {
  name: string;
  image: string;
  essential: boolean;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  containerPort?: number;
  /** UNKNOWN without a health check, and until its first check has answered. */
  healthStatus: HealthStatus;
  healthCheck?: ContainerCheck;
}

/** Where a task is registered behind a load balancer. */
export interface TaskTarget {
  targetGroupArn: string;
  port: number;
  /** The container the load balancer sends this group's traffic to, as the service's loadBalancers[] names it. */
  containerName?: string;
  registered: boolean;
}

export interface TaskRecord {
  arn: string;
  id: string;
  clusterArn: string;
  /** The service that started it; none for a standalone task (RunTask). */
  serviceArn?: string;
  serviceName?: string;
  taskDefinitionArn: string;
  family: string;
  group: string;
  /** The deployment or task set id that started it (ecs-svc/...); RunTask's startedBy, or "" (none), for a standalone task. */
  startedBy: string;
  owner: { kind: "deployment" | "taskSet" | "standalone"; id: string };
  launchType?: string;
  /** The provider of the strategy it was placed on (FARGATE or FARGATE_SPOT); none under a launch type. */
  capacityProviderName?: string;
  platformVersion?: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  privateIp: string;
  lastStatus: TaskStatus;
  desiredStatus: "RUNNING" | "STOPPED";
  /** From its essential containers' health checks (container-health.ts), never from its load balancer targets. */
  healthStatus: HealthStatus;
  createdAt: Date;
  pullStartedAt?: Date;
  pullStoppedAt?: Date;
  startedAt?: Date;
  /**
   * When the scheduler's own wait was over: its targets all healthy behind a load balancer; without one, once it had
   * stayed RUNNING a while — or at once when it has an essential container with a health check, whose verdict
   * decides instead.
   */
  settledAt?: Date;
  /** When it became healthy for the scheduler: settled, and HEALTHY too when an essential container has a health check. */
  healthyAt?: Date;
  stoppingAt?: Date;
  /** When its containers stopped serving requests: they got SIGTERM (STOPPING), or an essential one exited. */
  stoppedServingAt?: Date;
  stoppedAt?: Date;
  stopCode?: "TaskFailedToStart" | "EssentialContainerExited" | "UserInitiated" | "ServiceSchedulerInitiated";
  stoppedReason?: string;
  containers: TaskContainerRecord[];
  targets: TaskTarget[];
  behaviour: ImageBehaviour;
  /** Set when an essential container's image exits by itself (the "exit" behaviour): which one, how and when. */
  exit?: { container: string; exitCode: number; runSeconds: number };
  /** RunTask's overrides, as DescribeTasks shows them; service tasks have none. */
  overrides?: TaskOverride;
  enableExecuteCommand?: boolean;
  /** True when the task stopped without the scheduler asking — a failure the circuit breaker counts. */
  failed: boolean;
  /** Increments with every scheduled change so stale timeline entries can be recognised and skipped. */
  epoch: number;
}

export interface ServiceRevisionRecord extends Workload {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: Date;
  /**
   * The containers' images as the revision was made, each with the digest ECS resolved its tag to then (later
   * pushes to the tag do not change it): only for images the simulated ECR holds, no digest otherwise.
   */
  containerImages: { containerName?: string; image?: string; imageDigest?: string }[];
}

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: Date;
  startedAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  stoppedAt?: Date;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  /** The revisions that were running when it started, with the deployment ids that ran them. */
  sources: { revisionArn: string; deploymentId: string }[];
  targetRevisionArn: string;
  /** The deployment in deployments[] that carries the target revision. */
  deploymentId: string;
  deploymentConfiguration: DeploymentSettings;
  circuitBreaker: { status: "MONITORING" | "TRIGGERED" | "MONITORING_COMPLETE" | "DISABLED"; failureCount: number; threshold: number };
  /** The alarms' check: MONITORING while the deployment runs with alarms enabled; none ever triggers here. */
  alarms: { status: "MONITORING" | "TRIGGERED" | "MONITORING_COMPLETE" | "DISABLED"; alarmNames: string[] };
  /** The revision and deployment returned to; absent when there was none (a first native deployment's rollback). */
  rollback?: { reason: string; startedAt: Date; serviceRevisionArn?: string; deploymentId?: string };
  /** Set for a deployment run by a native strategy (BLUE_GREEN, LINEAR or CANARY). */
  native?: NativeRun;
}

/**
 * A lifecycle stage as a deployment walks it: ServiceDeploymentLifecycleStage plus PRE_PRODUCTION_TRAFFIC_SHIFT,
 * which the hook stages (and the stage's doc string) have but that enum lacks (see native-strategies.md).
 */
export type LifecycleStage =
  | "RECONCILE_SERVICE"
  | "PRE_SCALE_UP"
  | "SCALE_UP"
  | "POST_SCALE_UP"
  | "TEST_TRAFFIC_SHIFT"
  | "POST_TEST_TRAFFIC_SHIFT"
  | "PRE_PRODUCTION_TRAFFIC_SHIFT"
  | "PRODUCTION_TRAFFIC_SHIFT"
  | "POST_PRODUCTION_TRAFFIC_SHIFT"
  | "BAKE_TIME"
  | "CLEAN_UP";

export interface HookRun {
  hookId: string;
  targetType: "PAUSE" | "AWS_LAMBDA";
  targetArn?: string;
  status: "AWAITING_ACTION" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  expiresAt: Date;
  timeoutAction: "CONTINUE" | "ROLLBACK";
}

export type RuleForwards = { targetGroupArn: string; weight: number }[];

/** Where a native deployment stands; kept on its service deployment record. */
export interface NativeRun {
  strategy: NativeStrategy;
  stage: LifecycleStage;
  stageStartedAt: Date;
  /** Every stage entered, with when: not shown by AWS, kept for the simulator's own checks and tests. */
  history: { stage: LifecycleStage; at: Date }[];
  /** The production shift step reached (0 before the first shift). */
  step: number;
  /** Percent of production and test traffic the target (green) revision is meant to receive. */
  productionWeight: number;
  testWeight: number;
  /** The deployments that run the source (blue) revision. */
  blueDeploymentIds: string[];
  /** The target groups blue and green tasks are registered in; undefined without a load balancer (headless). */
  blueTargetGroupArn?: string;
  greenTargetGroupArn?: string;
  productionRuleArn?: string;
  testRuleArn?: string;
  /** The production and test rules' forward targets and weights when the deployment began; a rollback restores them. */
  productionForwardsAtStart?: RuleForwards;
  testForwardsAtStart?: RuleForwards;
  /** The hooks of the current stage's invocation (AWS lists "each active hook"). */
  hooks: HookRun[];
  /** Set once a rollback has begun: traffic returns to blue, then green is scaled in. */
  rollingBack: boolean;
  /** Where a rollback stands once under way: traffic going back to blue, then green scaled in. */
  rollbackPhase?: "traffic" | "scale-in";
  /** Bumped whenever a new due moment is scheduled, so stale timeline entries are skipped. */
  epoch: number;
  /** False once the deployment has finished (successfully or rolled back); the rolling controller then takes over. */
  active: boolean;
}
