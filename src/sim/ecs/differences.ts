import type { Differences } from "../module.js";
import { NATIVE_PACE } from "./native-controller.js";
import { PACE } from "./task-lifecycle.js";

/** What the simulated ECS is known to do differently from AWS (shown on src/sim/README.md). */
const strategyProviders =
  "A capacity provider strategy may name `FARGATE` or `FARGATE_SPOT` whether or not the cluster has it associated; AWS refuses a provider not associated with the cluster.";
const codeDeploy = "The `CODE_DEPLOY` deployment controller is refused; `ECS` and `EXTERNAL` are simulated.";
const rulesAssociation =
  "A native strategy whose two target groups are not both forwarded to by the production or test listener rule is refused at the call; AWS accepts it and rolls the deployment back when it runs.";
const linearCanaryNeedBalancer = "`LINEAR` and `CANARY` need a load balancer; AWS also takes Service Connect instead, whose traffic shifting is not simulated.";
const namespaceByName =
  "A Service Connect default namespace given by name gets a made-up ARN of the same shape; no Cloud Map namespace is looked up or created, where AWS creates an HTTP namespace of that name if there is none.";

export const differences: Differences = {
  service: [
    `No container runs: a task walks ECS's states on the simulated clock at a fixed pace (${PACE.provisioningSeconds} s \`PROVISIONING\`, ${PACE.pendingSeconds} s \`PENDING\`, then \`RUNNING\`; when stopped, ${PACE.stoppingSeconds} s \`STOPPING\` and ${PACE.deprovisioningSeconds} s \`DEPROVISIONING\` once its targets have drained), where AWS's tasks take longer and vary.`,
    "How a task ends is decided by its images' behaviour (`PUT /_sim/faults/images`), not by what its containers would run.",
    "There are no container instances: tasks of the `EC2` launch type run without one.",
    "A container health check (`healthCheck`) runs no command: each check passes or fails by the container's image behaviour (`healthy` and `exit` pass, `unhealthy` and `crash` fail), at Docker's times for its `interval`, `retries` and `startPeriod`; a failing check fails at once, without waiting out its `timeout`.",
    "An essential container without a health check does not keep its task's `healthStatus` at `UNKNOWN` once its checked containers are `HEALTHY`: as ECS has been seen to report it, where AWS's documentation would have the task `UNKNOWN`.",
    `Without a load balancer or a container health check, a task counts towards a deployment's healthy tasks ${PACE.stabilizeSeconds} s after it turned \`RUNNING\`; AWS waits 40 s.`,
    "Task IP addresses are made up in `10.0.0.0/16`, whatever the subnets given.",
    "No Cloud Map, Service Connect proxy, EBS volume or VPC Lattice target exists: `serviceRegistries`, `serviceConnectConfiguration`, `volumeConfigurations` and `vpcLatticeConfigurations` are checked and shown, and nothing is created.",
    "There is no CloudWatch: deployment alarms are kept and shown but never evaluated, so none ever triggers.",
    `In \`BLUE_GREEN\`, \`LINEAR\` and \`CANARY\` deployments Lambda hooks run nothing and succeed at once; Network Load Balancers, Service Connect and VPC Lattice traffic shifting, the 24-hour stage limit and EventBridge hook events are not modelled; a stage with nothing to wait for, and each move of a rule's weights, takes ${NATIVE_PACE.stageSeconds} simulated seconds (AWS gives no figure).`,
  ],
  operations: {
    CreateCluster: [namespaceByName],
    UpdateCluster: [namespaceByName],
    PutClusterCapacityProviders: [
      "Only `FARGATE` and `FARGATE_SPOT` exist to associate (`CreateCapacityProvider` is not served).",
      "The association is stored and shown but not enforced on the strategies of services, task sets and `RunTask`; AWS refuses a provider the cluster does not have.",
    ],
    DescribeCapacityProviders: ["Only the built-in `FARGATE` and `FARGATE_SPOT` exist (`CreateCapacityProvider` is not served)."],
    ListAccountSettings: [
      "No setting can be changed (`PutAccountSetting` is not served): each has a new account's default as AWS documented them in 2025, and `dualStackIPv6`, which the model's `SettingName` lacks, is not listed.",
    ],
    RegisterTaskDefinition: [
      "Checks the rules deployment tools commonly trip over, not all of AWS's.",
      "A container health check without a `command`, or with a setting outside AWS's ranges, is refused in the simulator's own words; AWS's are unconfirmed.",
      "`requiresAttributes` lists a subset of what AWS derives: none for EFS, FireLens, GPUs or private registry authentication.",
    ],
    CreateService: [
      codeDeploy,
      "A `DAEMON` service runs no tasks: it wants one per container instance, and there are none.",
      strategyProviders,
      rulesAssociation,
      linearCanaryNeedBalancer,
      "`availabilityZoneRebalancing` defaults to `DISABLED` for `binpack`, `DAEMON`, the `EXTERNAL` launch type and `maximumPercent` 100, but not for Classic Load Balancers or Availability Zone placement constraints, which AWS also excludes.",
    ],
    UpdateService: [codeDeploy, strategyProviders, rulesAssociation, linearCanaryNeedBalancer],
    CreateTaskSet: [strategyProviders],
    RunTask: [
      "A container override's `command` is shown back but does not decide how the task runs or ends; its images' behaviour (`PUT /_sim/faults/images`) does.",
      "Every task asked for is placed and `failures` is always empty: there is no capacity to run out of.",
      strategyProviders,
      "Its throttling bucket's figures are Fargate's task launch rate as remembered, not checked against AWS's throttling table.",
    ],
    DescribeServiceDeployments: [
      "`lifecycleStage` can read `PRE_PRODUCTION_TRAFFIC_SHIFT`, which the model's `ServiceDeploymentLifecycleStage` lacks though its doc string describes the stage; what AWS reports there is unconfirmed.",
      "While a native deployment rolls back, `lifecycleStage` reads `PRODUCTION_TRAFFIC_SHIFT` as traffic returns, then `CLEAN_UP`; AWS has no rollback stage, and what it reports is unconfirmed.",
    ],
    DescribeServiceRevisions: [
      "`containerImages` carries an `imageDigest` only for images the simulated ECR holds; AWS resolves the tag to a digest in whatever registry the image is in.",
      "`guardDutyEnabled` is always `false`: there is no GuardDuty.",
    ],
    ContinueServiceDeployment: ["Its refusals (a deployment not `IN_PROGRESS`, a hook not `AWAITING_ACTION`) answer `InvalidParameterException`; AWS documents no error code for them."],
    StopServiceDeployment: ["`stopType` `ABORT` (in AWS's enum, with no documented effect) and a missing `stopType` are refused."],
  },
};
