import type { AwsVpcConfiguration, Service } from "@aws-sdk/client-ecs";
import { ConflictError } from "../../src/errors.js";
import { nativeDefaults, pauseStages, type NativeModeName, type PauseStage, type RawNativeApproval } from "./native/settings.js";
import { isReservedTag } from "./service-tags.js";
import { networkOf } from "./state.js";
import { definitionFields, observedDefinition } from "./definition.js";
import { isUnused } from "./definition-diff.js";
import type { RawEnvironmentValues, RawServiceStep } from "./input.js";

/** A service's awsvpc network as a step writes it: no empty list of security groups. */
function stepNetwork(vpc: AwsVpcConfiguration): NonNullable<RawServiceStep["network"]> {
  const { securityGroups, ...network } = networkOf(vpc);
  return { ...network, ...(securityGroups.length > 0 && { securityGroups }) };
}

/** The service's tags a step may write: AWS's and slipway's own left out, as the step file's check refuses them. */
function tagsOf(service: Service): Pick<RawServiceStep, "tags"> {
  const tags = (service.tags ?? []).filter((t) => !isReservedTag(t));
  return tags.length > 0 ? { tags } : {};
}

/**
 * The service step that reproduces a running service, for `slipway init`: deployed with the revision the service
 * runs, its plan changes nothing. Pure. Refuses a service slipway cannot manage, saying why. A rolling service's
 * load balancers are written as loadBalancers: (by ARN), so its target needs no loadBalancer:; an EXTERNAL one
 * becomes mode: canary; one on ECS's BLUE_GREEN, LINEAR or CANARY strategy mode: ecs-blue-green, ecs-linear or
 * ecs-canary (its two target groups and listener go in the target: the caller finds them).
 */
export function stepFromService(service: Service): RawServiceStep {
  const name = service.serviceName ?? "";
  const controller = service.deploymentController?.type ?? "ECS";
  if (controller === "CODE_DEPLOY") {
    throw new ConflictError(
      `The service "${name}" uses the CODE_DEPLOY deployment controller: its deployments belong to CodeDeploy, which slipway does not drive.`,
      "Keep deploying it with CodeDeploy; or move it to ECS's own controller first (aws ecs update-service --deployment-controller type=ECS, which AWS allows from CODE_DEPLOY) and run slipway init again.",
    );
  }
  if (controller === "EXTERNAL") return stepFromTaskSets(service);
  if (service.launchType === "EXTERNAL" || service.launchType === "MANAGED_INSTANCES") {
    throw new ConflictError(`The service "${name}" runs on the ${service.launchType} launch type, which slipway's service step does not take (FARGATE and EC2, or capacity providers).`, "Keep deploying it as it is deployed now; slipway init cannot reproduce it.");
  }
  const classic = (service.loadBalancers ?? []).find((lb) => lb.targetGroupArn === undefined);
  if (classic) {
    throw new ConflictError(`The service "${name}" is behind the Classic Load Balancer ${classic.loadBalancerName ?? ""}; slipway binds target groups only.`, "Move it behind an Application or Network Load Balancer's target group (a new service), or keep deploying it as it is deployed now.");
  }
  const configuration = service.deploymentConfiguration;
  const breaker = configuration?.deploymentCircuitBreaker;
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  const definition = observedDefinition(service);
  // LATEST is what ECS shows when no version was asked for.
  if (definition.platformVersion === "LATEST") delete definition.platformVersion;
  const daemon = service.schedulingStrategy === "DAEMON";
  const step: RawServiceStep = {
    service: name,
    ...(daemon ? { schedulingStrategy: "DAEMON" as const } : { desiredCount: service.desiredCount ?? 0 }),
    ...(service.launchType === "FARGATE" || service.launchType === "EC2" ? { launchType: service.launchType } : {}),
    ...(vpc && { network: stepNetwork(vpc) }),
    ...((service.loadBalancers ?? []).length > 0 && {
      loadBalancers: (service.loadBalancers ?? []).map((lb) => ({ targetGroupArn: lb.targetGroupArn ?? "", containerName: lb.containerName ?? "", containerPort: lb.containerPort ?? 0 })),
    }),
    deployment: {
      ...(configuration?.minimumHealthyPercent !== undefined && { minimumHealthyPercent: configuration.minimumHealthyPercent }),
      ...(configuration?.maximumPercent !== undefined && { maximumPercent: configuration.maximumPercent }),
      circuitBreaker: { enable: breaker?.enable ?? false, rollback: breaker?.rollback ?? false },
      ...(configuration?.alarms && { alarms: { alarmNames: configuration.alarms.alarmNames ?? [], enable: configuration.alarms.enable ?? false, rollback: configuration.alarms.rollback ?? false } }),
    },
    ...(service.healthCheckGracePeriodSeconds !== undefined && service.healthCheckGracePeriodSeconds > 0 && { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }),
  };
  for (const field of definitionFields) if (!isUnused(definition[field])) Object.assign(step, { [field]: definition[field] });
  const native = nativeModeOf(configuration?.strategy);
  return { ...(native ? nativeStep(service, step, native) : step), ...tagsOf(service) };
}

const nativeModeOf = (strategy: string | undefined): NativeModeName | undefined => (strategy === "BLUE_GREEN" ? "ecs-blue-green" : strategy === "LINEAR" ? "ecs-linear" : strategy === "CANARY" ? "ecs-canary" : undefined);

/**
 * A service on ECS's BLUE_GREEN, LINEAR or CANARY strategy as mode: ecs-blue-green, ecs-linear or ecs-canary, from
 * the step a rolling service would have: its one target group becomes loadBalancer: (the group and its alternate go
 * in the target), the strategy's members are written as ECS has them, its role as loadBalancerRole, and its pause
 * hooks as approvals. Refused: what slipway would change at its first deployment — a test listener rule not slipway's,
 * Lambda hooks, a pause hook over several stages — and a service without the load balancer ECS shifts.
 */
function nativeStep(service: Service, rolling: RawServiceStep, mode: NativeModeName): RawServiceStep {
  const name = service.serviceName ?? "";
  const configuration = service.deploymentConfiguration;
  const strategy = configuration?.strategy ?? "";
  const refuse = (why: string, fix: string) => {
    throw new ConflictError(`The service "${name}" deploys with ECS's ${strategy} strategy, ${why}`, fix);
  };
  const [binding, ...others] = service.loadBalancers ?? [];
  const advanced = binding?.advancedConfiguration;
  if (!binding?.targetGroupArn || !binding.containerName || binding.containerPort === undefined || !advanced?.alternateTargetGroupArn || !advanced.productionListenerRule || others.length > 0) {
    refuse(
      "but not behind one target group with an alternate and a production listener rule, which slipway's mode: " + mode + " shifts traffic between.",
      "Give the service one load balancer with advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn), or write the step by hand.",
    );
  }
  if (advanced?.testListenerRule) {
    refuse(
      `with the test listener rule ${advanced.testListenerRule}, which slipway would replace with its own (verification:) at its first deployment.`,
      "Remove the test listener rule from the service (aws ecs update-service … --load-balancers without testListenerRule) and run slipway init again; then give the step verification: to have slipway keep one.",
    );
  }
  const approvals: RawNativeApproval[] = [];
  for (const hook of configuration?.lifecycleHooks ?? []) {
    const [stage, ...more] = hook.lifecycleStages ?? [];
    const at = pauseStages.find((p) => p === stage);
    if (hook.targetType !== "PAUSE" || !at || more.length > 0 || approvals.some((a) => a.at === at)) {
      refuse(
        `with a lifecycle hook slipway cannot write (${hook.targetType ?? "AWS_LAMBDA"} at ${(hook.lifecycleStages ?? []).join(", ")}): its approvals are one pause hook per stage, and it runs no Lambda hooks.`,
        "Remove the hook (or split a pause hook into one per stage), then run slipway init again.",
      );
    }
    const timeout = hook.timeoutConfiguration;
    approvals.push({ at: at as PauseStage, ...(timeout?.timeoutInMinutes !== undefined && { timeoutMinutes: timeout.timeoutInMinutes }), ...(timeout?.action !== undefined && { onTimeout: timeout.action }) });
  }
  const { loadBalancers: _bound, deployment, ...rest } = rolling;
  const linear = configuration?.linearConfiguration;
  const canary = configuration?.canaryConfiguration;
  return {
    ...rest,
    mode,
    loadBalancer: { containerName: binding?.containerName ?? "", containerPort: binding?.containerPort ?? 0 },
    deployment: {
      ...(deployment?.minimumHealthyPercent !== undefined && { minimumHealthyPercent: deployment.minimumHealthyPercent }),
      ...(deployment?.maximumPercent !== undefined && { maximumPercent: deployment.maximumPercent }),
      ...(deployment?.alarms && { alarms: deployment.alarms }),
      ...(configuration?.bakeTimeInMinutes !== undefined && { bakeTimeInMinutes: configuration.bakeTimeInMinutes }),
      ...(mode === "ecs-linear" && linear && { linearConfiguration: { ...(linear.stepPercent !== undefined && { stepPercent: linear.stepPercent }), ...(linear.stepBakeTimeInMinutes !== undefined && { stepBakeTimeInMinutes: linear.stepBakeTimeInMinutes }) } }),
      ...(mode === "ecs-canary" && canary && { canaryConfiguration: { ...(canary.canaryPercent !== undefined && { canaryPercent: canary.canaryPercent }), ...(canary.canaryBakeTimeInMinutes !== undefined && { canaryBakeTimeInMinutes: canary.canaryBakeTimeInMinutes }) } }),
    },
    loadBalancerRole: roleOf(advanced?.roleArn, binding?.targetGroupArn ?? ""),
    ...(approvals.length > 0 && { approvals }),
  };
}

/** ECS's role for the load balancer as the step writes it: a name when it is in the target group's account (and partition), else its ARN. */
function roleOf(roleArn: string | undefined, targetGroupArn: string): string {
  if (!roleArn) return nativeDefaults.loadBalancerRole;
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  const group = /^arn:(aws[a-z-]*):elasticloadbalancing:[^:]*:(\d{12}):/.exec(targetGroupArn);
  return role && group && role[1] === group[1] && role[2] === group[2] ? (role[3] ?? roleArn) : roleArn;
}

/**
 * An EXTERNAL service as mode: canary: what a deployment creates task sets with comes from its primary task set,
 * the service's own members from the service. Its two target groups go in the target (the caller finds them).
 */
function stepFromTaskSets(service: Service): RawServiceStep {
  const name = service.serviceName ?? "";
  const primary = service.taskSets?.find((t) => t.status === "PRIMARY");
  const binding = primary?.loadBalancers?.[0];
  if (!primary || !binding?.containerName || binding.containerPort === undefined) {
    throw new ConflictError(
      `The EXTERNAL service "${name}" has no primary task set behind a target group, so there is no canary to reproduce.`,
      "Create its primary task set (aws ecs create-task-set … --load-balancers …, then update-service-primary-task-set), or write the step by hand with mode: canary.",
    );
  }
  const vpc = primary.networkConfiguration?.awsvpcConfiguration;
  const step: RawServiceStep = {
    service: name,
    mode: "canary",
    desiredCount: service.desiredCount ?? 0,
    loadBalancer: { containerName: binding.containerName, containerPort: binding.containerPort },
    ...(primary.launchType === "FARGATE" || primary.launchType === "EC2" ? { launchType: primary.launchType } : {}),
    ...(vpc && { network: stepNetwork(vpc) }),
  };
  const fromSet = { capacityProviderStrategy: primary.capacityProviderStrategy, platformVersion: primary.platformVersion === "LATEST" ? undefined : primary.platformVersion, serviceRegistries: primary.serviceRegistries };
  const fromService = { placementConstraints: service.placementConstraints, placementStrategy: service.placementStrategy, propagateTags: service.propagateTags, enableECSManagedTags: service.enableECSManagedTags };
  for (const [field, value] of Object.entries({ ...fromSet, ...fromService })) if (!isUnused(value)) Object.assign(step, { [field]: value });
  return { ...step, ...tagsOf(service) };
}

/**
 * One step for several environments: what every environment has alike at the step's level, and under
 * environments: each one's own values for the rest — so no environment inherits a value it does not use (a
 * rolling environment's Service Connect beside a canary one's). Pure.
 */
export function mergeEnvironments(steps: [environment: string, step: RawServiceStep][]): RawServiceStep {
  const [first, ...rest] = steps;
  if (!first) throw new Error("mergeEnvironments needs at least one environment");
  if (rest.length === 0) return first[1];
  const value = (step: RawServiceStep, key: string) => JSON.stringify((step as unknown as Record<string, unknown>)[key]);
  const keys = [...new Set(steps.flatMap(([, step]) => Object.keys(step)))].filter((k) => k !== "service");
  const shared = keys.filter((key) => steps.every(([, step]) => value(step, key) !== undefined && value(step, key) === value(first[1], key)));
  const pick = (step: RawServiceStep, wanted: (key: string) => boolean) => Object.fromEntries(Object.entries(step).filter(([key]) => key !== "service" && wanted(key)));
  const environments = Object.fromEntries(steps.map(([environment, step]) => [environment, pick(step, (key) => !shared.includes(key)) as RawEnvironmentValues]).filter(([, own]) => Object.keys(own as object).length > 0));
  return { service: first[1].service, ...(pick(first[1], (key) => shared.includes(key)) as Partial<RawServiceStep>), ...(Object.keys(environments).length > 0 && { environments }) };
}
