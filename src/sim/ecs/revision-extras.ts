import type { ServiceConnectConfiguration, ServiceRegistry, ServiceVolumeConfiguration, VpcLatticeConfiguration } from "@aws-sdk/client-ecs";
import { validateServiceConnect } from "./service-connect.js";
import { validateServiceRegistries } from "./service-registries.js";
import type { Workload } from "./service-model.js";
import type { TaskDefinitionRecord } from "./state.js";
import { validateVolumeConfigurations } from "./volume-configurations.js";
import { validateVpcLattice } from "./vpc-lattice.js";

/**
 * The parts of a service revision beyond task definition, placement, network and load balancers: service
 * registries, Service Connect, EBS volumes and VPC Lattice. One place reads them from a request and checks them
 * against the task definition, so CreateService, UpdateService and CreateTaskSet agree.
 */
export interface ExtrasRequest {
  serviceRegistries?: ServiceRegistry[] | undefined;
  serviceConnectConfiguration?: ServiceConnectConfiguration | undefined;
  volumeConfigurations?: ServiceVolumeConfiguration[] | undefined;
  vpcLatticeConfigurations?: VpcLatticeConfiguration[] | undefined;
}

export type Extras = Pick<Workload, "serviceRegistries" | "serviceConnectConfiguration" | "volumeConfigurations" | "vpcLatticeConfigurations">;

const nonEmpty = (list: unknown[] | undefined): boolean => (list?.length ?? 0) > 0;
const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/**
 * What the request gives, on top of what the workload carried (UpdateService: a member left out keeps its value,
 * an empty list removes it), all checked against `definition` — a new task definition re-checks the carried ones.
 * `defaultNamespace` is the cluster's Service Connect default, for a configuration that names no namespace.
 */
export function revisionExtras(request: ExtrasRequest, definition: TaskDefinitionRecord, schedulingStrategy: string, carried: Extras = {}, defaultNamespace?: string): Extras {
  const serviceRegistries = given(request.serviceRegistries) ? request.serviceRegistries : carried.serviceRegistries;
  const connect = given(request.serviceConnectConfiguration) ? request.serviceConnectConfiguration : carried.serviceConnectConfiguration;
  const volumes = given(request.volumeConfigurations) ? request.volumeConfigurations : carried.volumeConfigurations;
  const lattice = given(request.vpcLatticeConfigurations) ? request.vpcLatticeConfigurations : carried.vpcLatticeConfigurations;
  const out: Extras = {};
  if (serviceRegistries?.length) out.serviceRegistries = validateServiceRegistries(serviceRegistries, definition);
  if (connect) out.serviceConnectConfiguration = validateServiceConnect(connect, definition, defaultNamespace);
  if (volumes?.length) out.volumeConfigurations = validateVolumeConfigurations(volumes, definition, schedulingStrategy);
  if (lattice?.length) out.vpcLatticeConfigurations = validateVpcLattice(lattice, definition);
  return out;
}

/** Copies of the extras a workload carries, for workloadOf. */
export function extrasOf(w: Extras): Extras {
  return {
    ...(nonEmpty(w.serviceRegistries) && { serviceRegistries: structuredClone(w.serviceRegistries) }),
    ...(w.serviceConnectConfiguration && { serviceConnectConfiguration: structuredClone(w.serviceConnectConfiguration) }),
    ...(nonEmpty(w.volumeConfigurations) && { volumeConfigurations: structuredClone(w.volumeConfigurations) }),
    ...(nonEmpty(w.vpcLatticeConfigurations) && { vpcLatticeConfigurations: structuredClone(w.vpcLatticeConfigurations) }),
  };
}

/** As AWS shows them on a deployment or service revision: only those that are set. */
export function extrasView(w: Extras) {
  return {
    ...(w.serviceConnectConfiguration && { serviceConnectConfiguration: w.serviceConnectConfiguration }),
    ...(nonEmpty(w.volumeConfigurations) && { volumeConfigurations: w.volumeConfigurations }),
    ...(nonEmpty(w.vpcLatticeConfigurations) && { vpcLatticeConfigurations: w.vpcLatticeConfigurations }),
  };
}
