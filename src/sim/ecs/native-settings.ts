import type { CanaryConfiguration, DeploymentConfiguration, DeploymentLifecycleHook, LinearConfiguration, LoadBalancer } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import type { CallContext } from "../module.js";
import type { ControllerType, DeploymentSettings, DeploymentStrategy } from "./service-model.js";

/**
 * deploymentConfiguration's native-strategy members and loadBalancers[].advancedConfiguration, checked as AWS's
 * model and guide state them (native-strategies.md has the sources). The model gives no ranges for most of these;
 * they are written in its doc strings, so they are encoded here by hand. Messages are ours, in AWS's manner.
 */
const STRATEGIES: DeploymentStrategy[] = ["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"];
export const HOOK_STAGES = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRE_PRODUCTION_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
] as const;
/** Invoked again during a rollback, so a pause there would need a second ContinueServiceDeployment (D-hooks). */
const NO_PAUSE_STAGES = new Set(["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"]);
const MAX_HOOKS_PER_TYPE = 10;
/** CanaryConfiguration / LinearConfiguration: 0 to 1440 minutes; the timeout of a hook 1 to 20160 (the model). */
const MAX_STEP_BAKE = 1440;
const MAX_HOOK_TIMEOUT = 20_160;
/** D-lambda: a Lambda hook's timeout is 1 to 1440; the model allows 20160 for both kinds. The narrower one is kept. */
const MAX_LAMBDA_TIMEOUT = 1440;
/**
 * CFN (DeploymentConfiguration.BakeTimeInMinutes): unset, it is 36 hours for the native strategies. The model
 * requires it for BLUE_GREEN, so this only fills LINEAR and CANARY in.
 */
export const DEFAULT_BAKE_MINUTES = 2160;
export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };

const isTenth = (n: number) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;

function percent(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > 100 || !isTenth(value)) {
    throw invalidParameter(`${name} must be a multiple of 0.1 between ${min.toFixed(1)} and 100.0.`);
  }
  return value;
}

function minutes(value: unknown, name: string, min: number, max: number | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw invalidParameter(max === undefined ? `${name} must be an integer of at least ${min}.` : `${name} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

function linear(given: LinearConfiguration): LinearConfiguration {
  return {
    stepPercent: percent(given.stepPercent, "linearConfiguration.stepPercent", 3) ?? LINEAR_DEFAULTS.stepPercent,
    stepBakeTimeInMinutes: minutes(given.stepBakeTimeInMinutes, "linearConfiguration.stepBakeTimeInMinutes", 0, MAX_STEP_BAKE) ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes,
  };
}

function canary(given: CanaryConfiguration): CanaryConfiguration {
  return {
    canaryPercent: percent(given.canaryPercent, "canaryConfiguration.canaryPercent", 0.1) ?? CANARY_DEFAULTS.canaryPercent,
    canaryBakeTimeInMinutes: minutes(given.canaryBakeTimeInMinutes, "canaryConfiguration.canaryBakeTimeInMinutes", 0, MAX_STEP_BAKE) ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes,
  };
}

function hook(given: DeploymentLifecycleHook, i: number): DeploymentLifecycleHook {
  const at = `lifecycleHooks[${i}]`;
  const targetType = given.targetType ?? "AWS_LAMBDA";
  if (targetType !== "AWS_LAMBDA" && targetType !== "PAUSE") throw invalidParameter(`${at}.targetType must be one of AWS_LAMBDA, PAUSE.`);
  const stages = given.lifecycleStages ?? [];
  if (stages.length === 0) throw invalidParameter(`${at}.lifecycleStages can not be empty.`);
  for (const stage of stages) {
    if (!(HOOK_STAGES as readonly string[]).includes(stage)) throw invalidParameter(`${at}.lifecycleStages: ${String(stage)} is not a valid lifecycle stage. Valid stages: ${HOOK_STAGES.join(", ")}.`);
    if (targetType === "PAUSE" && NO_PAUSE_STAGES.has(stage)) {
      throw invalidParameter(`PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages. These stages are only valid for AWS_LAMBDA hooks.`);
    }
  }
  if (new Set(stages).size !== stages.length) throw invalidParameter(`${at}.lifecycleStages must not repeat a stage.`);
  if (targetType === "PAUSE") {
    // D-pause: "Pause hooks do not use hookTargetArn or roleArn." Whether AWS refuses or ignores them is not
    // documented; refusing is the conservative choice (what passes here passes AWS).
    if (given.hookTargetArn || given.roleArn) throw invalidParameter(`${at}: hookTargetArn and roleArn are not applicable for PAUSE hooks.`);
  } else if (!given.hookTargetArn) {
    throw invalidParameter(`${at}.hookTargetArn must be provided for an AWS_LAMBDA lifecycle hook.`);
  }
  const timeout = given.timeoutConfiguration;
  const action = timeout?.action ?? "ROLLBACK";
  if (action !== "ROLLBACK" && action !== "CONTINUE") throw invalidParameter(`${at}.timeoutConfiguration.action must be one of ROLLBACK, CONTINUE.`);
  const timeoutInMinutes = minutes(timeout?.timeoutInMinutes, `${at}.timeoutConfiguration.timeoutInMinutes`, 1, targetType === "PAUSE" ? MAX_HOOK_TIMEOUT : MAX_LAMBDA_TIMEOUT) ?? 1440;
  return {
    targetType,
    ...(given.hookTargetArn && { hookTargetArn: given.hookTargetArn }),
    ...(given.roleArn && { roleArn: given.roleArn }),
    lifecycleStages: [...stages],
    ...(given.hookDetails !== undefined && { hookDetails: given.hookDetails }),
    timeoutConfiguration: { timeoutInMinutes, action },
  };
}

/** The native members of `given` on top of `base`'s; a member left out keeps the base's value, as UpdateService does. */
export function nativeSettings(given: DeploymentConfiguration | undefined, base: DeploymentSettings | undefined): Pick<DeploymentSettings, "strategy" | "bakeTimeInMinutes" | "lifecycleHooks" | "linearConfiguration" | "canaryConfiguration"> {
  const strategy = (given?.strategy ?? base?.strategy ?? "ROLLING") as DeploymentStrategy;
  if (!STRATEGIES.includes(strategy)) throw invalidParameter(`deploymentConfiguration.strategy must be one of ${STRATEGIES.join(", ")}.`);
  const bake = minutes(given?.bakeTimeInMinutes, "bakeTimeInMinutes", 0, undefined) ?? base?.bakeTimeInMinutes;
  const hooks = given?.lifecycleHooks !== undefined ? (given.lifecycleHooks ?? []).map(hook) : base?.lifecycleHooks;
  // A strategy change drops the other strategy's configuration it carried; one given for another strategy is refused.
  if (given?.linearConfiguration && strategy !== "LINEAR") throw invalidParameter("linearConfiguration is only valid when the deployment strategy is LINEAR.");
  if (given?.canaryConfiguration && strategy !== "CANARY") throw invalidParameter("canaryConfiguration is only valid when the deployment strategy is CANARY.");
  const linearGiven = given?.linearConfiguration ?? (strategy === "LINEAR" ? base?.linearConfiguration : undefined);
  const canaryGiven = given?.canaryConfiguration ?? (strategy === "CANARY" ? base?.canaryConfiguration : undefined);
  if (strategy === "BLUE_GREEN" && bake === undefined) throw invalidParameter("bakeTimeInMinutes must be provided when you use the BLUE_GREEN deployment strategy.");
  if (hooks && hooks.length > 0 && strategy === "ROLLING") {
    // Hooks only have stages to run at under the native strategies (the stage list is theirs); not documented for ROLLING, so refused.
    throw invalidParameter("lifecycleHooks are only supported with the BLUE_GREEN, LINEAR and CANARY deployment strategies.");
  }
  for (const type of ["PAUSE", "AWS_LAMBDA"]) {
    if ((hooks ?? []).filter((h) => h.targetType === type).length > MAX_HOOKS_PER_TYPE) throw invalidParameter(`A service can have at most ${MAX_HOOKS_PER_TYPE} ${type} lifecycle hooks.`);
  }
  return {
    strategy,
    ...(bake !== undefined && { bakeTimeInMinutes: bake }),
    ...(hooks !== undefined && { lifecycleHooks: hooks }),
    ...(strategy === "LINEAR" && { linearConfiguration: linear(linearGiven ?? {}) }),
    ...(strategy === "CANARY" && { canaryConfiguration: canary(canaryGiven ?? {}) }),
  };
}

/**
 * The service as a whole, once its controller, settings and load balancers are known: native strategies need the
 * ECS controller, no circuit breaker (rolling only), one load balancer with a complete advancedConfiguration, and
 * LINEAR and CANARY need a load balancer at all (the model: "Application Load Balancer or Service Connect";
 * Service Connect's traffic shifting is not simulated). BLUE_GREEN without a load balancer runs headless.
 */
export function requireNativeFit(controller: ControllerType, settings: DeploymentSettings, loadBalancers: LoadBalancer[]): void {
  const strategy = settings.strategy;
  if (strategy === "ROLLING") return;
  if (controller !== "ECS") throw invalidParameter(`The ${strategy} deployment strategy is only supported for services that use the ECS deployment controller.`);
  if (settings.deploymentCircuitBreaker.enable) throw invalidParameter("The deployment circuit breaker can only be used for services using the rolling update (ECS) deployment strategy.");
  if (loadBalancers.length > 1) throw invalidParameter("Multiple target groups are not supported for blue/green, linear and canary deployments.");
  const lb = loadBalancers[0];
  if (!lb) {
    if (strategy !== "BLUE_GREEN") throw invalidParameter(`The ${strategy} deployment strategy requires a load balancer with advancedConfiguration.`);
    return;
  }
  const advanced = lb.advancedConfiguration;
  if (!advanced?.alternateTargetGroupArn || !advanced.productionListenerRule || !advanced.roleArn) {
    throw invalidParameter(`loadBalancers[0].advancedConfiguration with alternateTargetGroupArn, productionListenerRule and roleArn must be provided for the ${strategy} deployment strategy.`);
  }
}

/**
 * loadBalancers[].advancedConfiguration, when given: the alternate group and the listener rules must exist, the
 * rules must only forward (D-alb: blue/green is not supported with other actions), and each of the two groups must
 * be forwarded to by the production or the test rule. AWS finds the last out only when the deployment runs and
 * rolls it back ("…invalid networking configuration…", D-migr); the simulator refuses the call instead, so what
 * the simulator accepts AWS would deploy.
 */
export function validateAdvancedConfiguration(ctx: CallContext, lb: LoadBalancer): LoadBalancer["advancedConfiguration"] {
  const advanced = lb.advancedConfiguration;
  if (!advanced) return undefined;
  const { alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn } = advanced;
  if (alternateTargetGroupArn !== undefined) {
    if (!ctx.sim.elbv2.targetGroup(ctx.region, alternateTargetGroupArn)) throw invalidParameter(`The alternate target group ${alternateTargetGroupArn} does not exist.`);
    if (alternateTargetGroupArn === lb.targetGroupArn) throw invalidParameter("alternateTargetGroupArn must be different from targetGroupArn.");
  }
  const rules = [productionListenerRule, testListenerRule].filter((r): r is string => r !== undefined).map((arn) => {
    const rule = ctx.sim.elbv2.listenerRule(ctx.region, arn);
    if (!rule) throw invalidParameter(`The listener rule ${arn} does not exist.`);
    if (!rule.forwards || !rule.onlyForward) throw invalidParameter(`The listener rule ${arn} must have only a forward action for blue/green deployments.`);
    return rule;
  });
  if (testListenerRule !== undefined && rules[0]?.ruleArn === rules[1]?.ruleArn) throw invalidParameter("testListenerRule must be different from productionListenerRule.");
  if (productionListenerRule !== undefined && alternateTargetGroupArn !== undefined) {
    const associated = new Set(rules.flatMap((r) => (r.forwards ?? []).map((f) => f.targetGroupArn)));
    if (!associated.has(lb.targetGroupArn ?? "") || !associated.has(alternateTargetGroupArn)) {
      throw invalidParameter("Both targetGroup and alternateTargetGroup must be associated with the productionListenerRule or testListenerRule.");
    }
  }
  return {
    ...(alternateTargetGroupArn !== undefined && { alternateTargetGroupArn }),
    ...(productionListenerRule !== undefined && { productionListenerRule }),
    ...(testListenerRule !== undefined && { testListenerRule }),
    ...(roleArn !== undefined && { roleArn }),
  };
}
