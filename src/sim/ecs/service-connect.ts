import type { ServiceConnectConfiguration } from "@aws-sdk/client-ecs";
import { invalidParameter } from "../aws-error.js";
import { portNames } from "./port-names.js";
import type { TaskDefinitionRecord } from "./state.js";

/**
 * A service's Service Connect configuration, checked against the task definition it deploys. AWS keeps it on the
 * deployment and the service revision, not on the service (Deployment.serviceConnectConfiguration in AWS's model),
 * so it travels with the workload and a change of it starts a new deployment (UpdateService's documentation).
 * No Cloud Map here: the namespace is stored as given, not looked up, and no proxy runs.
 *
 * Every message below is our own wording; AWS's for these cases is not published.
 */
export function validateServiceConnect(config: ServiceConnectConfiguration, definition: TaskDefinitionRecord): ServiceConnectConfiguration {
  if (typeof config.enabled !== "boolean") throw invalidParameter("serviceConnectConfiguration.enabled must be specified.");
  if (!config.enabled) return structuredClone(config);
  // The sim's clusters keep no serviceConnectDefaults, so an enabled configuration has to name its namespace.
  if (!config.namespace) throw invalidParameter("A Service Connect namespace must be specified when Service Connect is enabled.");
  const names = portNames(definition);
  for (const service of config.services ?? []) {
    if (!service.portName) throw invalidParameter("serviceConnectConfiguration.services.portName must be specified.");
    // AWS's model: "The portName must match the name of one of the portMappings from all the containers in the task definition".
    if (!names.has(service.portName)) {
      throw invalidParameter(`The portName ${service.portName} in the Service Connect configuration does not match the name of any port mapping in task definition ${definition.arn}.`);
    }
    for (const alias of service.clientAliases ?? []) {
      if (!Number.isInteger(alias.port) || (alias.port as number) < 1 || (alias.port as number) > 65535) {
        throw invalidParameter("serviceConnectConfiguration.services.clientAliases.port must be between 1 and 65535.");
      }
    }
  }
  return structuredClone(config);
}
