/**
 * The members of ECS's service definition that a step file writes in ECS's own names and shapes (CreateService /
 * UpdateService), passed to ECS as written. slipway reads them back from DescribeServices to decide what changed;
 * a member the step does not set is left as the service has it, so adopting a running service never strips a
 * setting nobody wrote down. To remove one, write its empty value ([] or false).
 */
import type {
  AvailabilityZoneRebalancing,
  CapacityProviderStrategyItem,
  PlacementConstraint,
  PlacementStrategy,
  PropagateTags,
  Service,
  ServiceConnectConfiguration,
  ServiceRegistry,
  ServiceVolumeConfiguration,
  VpcLatticeConfiguration,
} from "@aws-sdk/client-ecs";

export interface ServiceDefinition {
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  propagateTags?: PropagateTags;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  availabilityZoneRebalancing?: AvailabilityZoneRebalancing;
  serviceRegistries?: ServiceRegistry[];
  serviceConnectConfiguration?: ServiceConnectConfiguration;
  volumeConfigurations?: ServiceVolumeConfiguration[];
  vpcLatticeConfigurations?: VpcLatticeConfiguration[];
}

export type DefinitionField = keyof ServiceDefinition;

/**
 * How each member behaves. `shownOn`: where DescribeServices shows the live value — the service, or (for the
 * ones AWS keeps per deployment) its PRIMARY deployment. `taskSets`: under mode canary and blue-green (an
 * EXTERNAL service) the member goes on the service, on each task set, or is refused with AWS's reason.
 */
export interface FieldRule {
  shownOn: "service" | "deployment";
  taskSets: { on: "service" | "task-set" } | { refused: string };
}

const externalOnly = "AWS supports it only on services with ECS's own deployment controller (mode: rolling), not on EXTERNAL ones (mode: canary and blue-green)";

export const fieldRules: Record<DefinitionField, FieldRule> = {
  capacityProviderStrategy: { shownOn: "service", taskSets: { on: "task-set" } },
  platformVersion: { shownOn: "service", taskSets: { on: "task-set" } },
  placementConstraints: { shownOn: "service", taskSets: { on: "service" } },
  placementStrategy: { shownOn: "service", taskSets: { on: "service" } },
  propagateTags: { shownOn: "service", taskSets: { on: "service" } },
  enableECSManagedTags: { shownOn: "service", taskSets: { on: "service" } },
  // AWS documents ECS Exec settings for rolling services only; untried on EXTERNAL ones, so not sent there.
  enableExecuteCommand: { shownOn: "service", taskSets: { refused: externalOnly } },
  availabilityZoneRebalancing: { shownOn: "service", taskSets: { refused: externalOnly } },
  serviceRegistries: { shownOn: "service", taskSets: { on: "task-set" } },
  serviceConnectConfiguration: { shownOn: "deployment", taskSets: { refused: externalOnly } },
  volumeConfigurations: { shownOn: "deployment", taskSets: { refused: externalOnly } },
  vpcLatticeConfigurations: { shownOn: "deployment", taskSets: { refused: externalOnly } },
};

export const definitionFields = Object.keys(fieldRules) as DefinitionField[];

/** The step's members, in the order of fieldRules, with the ones it does not set left out. */
export function pickDefinition(source: object): ServiceDefinition {
  const from = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of definitionFields) if (from[field] !== undefined) out[field] = from[field];
  return out as ServiceDefinition;
}

/** The service's live members, each read where DescribeServices shows it. */
export function observedDefinition(service: Service): ServiceDefinition {
  const primary = service.deployments?.find((d) => d.status === "PRIMARY");
  const from = (field: DefinitionField): unknown => (fieldRules[field].shownOn === "deployment" ? (primary as Record<string, unknown> | undefined)?.[field] : (service as Record<string, unknown>)[field]);
  return pickDefinition(Object.fromEntries(definitionFields.map((f) => [f, from(f)])));
}
