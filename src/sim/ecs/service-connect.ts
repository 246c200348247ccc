import { createHash } from "node:crypto";
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
export function validateServiceConnect(config: ServiceConnectConfiguration, definition: TaskDefinitionRecord, defaultNamespace?: string): ServiceConnectConfiguration {
  if (typeof config.enabled !== "boolean") throw invalidParameter("serviceConnectConfiguration.enabled must be specified.");
  if (!config.enabled) return structuredClone(config);
  // Without a namespace of its own, an enabled configuration joins the cluster's default one (serviceConnectDefaults'
  // documentation: new services with Service Connect turned on are added to it); with neither there is none to join.
  if (!config.namespace && defaultNamespace) config = { ...config, namespace: defaultNamespace };
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

/**
 * A cluster's serviceConnectDefaults from CreateCluster's or UpdateCluster's request. AWS takes a Cloud Map
 * namespace's name or ARN and shows the ARN, creating an HTTP namespace of that name if there is none; with no
 * Cloud Map here, a name is given a made-up ARN of the same shape (the same name, the same ARN). An empty namespace
 * ("") removes the defaults (the model's documentation of ClusterServiceConnectDefaultsRequest).
 */
export function serviceConnectDefaults(
  state: { region: string; account: string },
  request: { namespace?: string | undefined } | undefined,
): { serviceConnectDefaults?: { namespace: string } } {
  if (!request) return {};
  const namespace = request.namespace;
  if (typeof namespace !== "string") throw invalidParameter("serviceConnectDefaults.namespace must be specified.");
  if (namespace === "") return {};
  if (namespace.startsWith("arn:")) return { serviceConnectDefaults: { namespace } };
  if (namespace.length > 1024) throw invalidParameter("serviceConnectDefaults.namespace can have at most 1024 characters.");
  const id = createHash("sha256").update(namespace).digest("hex").slice(0, 16);
  return { serviceConnectDefaults: { namespace: `arn:aws:servicediscovery:${state.region}:${state.account}:namespace/ns-${id}` } };
}
