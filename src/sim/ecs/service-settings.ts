import type { DeploymentAlarms, DeploymentConfiguration } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import { nativeSettings } from "./native-settings.js";
import type { DeploymentSettings } from "./service-model.js";

/** A deployment configuration as given, on top of `base` (AWS's defaults: 200 % / 100 %, breaker off). */
export function deploymentSettings(given: DeploymentConfiguration | undefined, base?: DeploymentSettings): DeploymentSettings {
  const settings: DeploymentSettings = {
    maximumPercent: given?.maximumPercent ?? base?.maximumPercent ?? 200,
    minimumHealthyPercent: given?.minimumHealthyPercent ?? base?.minimumHealthyPercent ?? 100,
    deploymentCircuitBreaker: {
      enable: given?.deploymentCircuitBreaker?.enable ?? base?.deploymentCircuitBreaker.enable ?? false,
      rollback: given?.deploymentCircuitBreaker?.rollback ?? base?.deploymentCircuitBreaker.rollback ?? false,
    },
    ...nativeSettings(given, base),
  };
  const alarms = given?.alarms ? requireAlarms(given.alarms) : base?.alarms;
  if (alarms) settings.alarms = alarms;
  if (settings.minimumHealthyPercent < 0 || settings.minimumHealthyPercent > 100) {
    throw invalidParameter("minimumHealthyPercent must be between 0 and 100.");
  }
  if (settings.maximumPercent < 100 && settings.minimumHealthyPercent >= 100) {
    throw invalidParameter("maximumPercent must be greater than minimumHealthyPercent.");
  }
  return settings;
}

/**
 * deploymentConfiguration.alarms: alarmNames, enable and rollback are all required members in AWS's model (the
 * message is ours). Kept as given; the simulator has no CloudWatch and never fires them.
 */
function requireAlarms(alarms: DeploymentAlarms): DeploymentAlarms {
  if (!Array.isArray(alarms.alarmNames) || typeof alarms.enable !== "boolean" || typeof alarms.rollback !== "boolean") {
    throw invalidParameter("deploymentConfiguration.alarms requires alarmNames, enable and rollback.");
  }
  return { alarmNames: [...alarms.alarmNames], enable: alarms.enable, rollback: alarms.rollback };
}

export function requireCount(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw invalidParameter(`${name} must be a non-negative integer.`);
  return value;
}
