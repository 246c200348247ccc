import type { ServiceDeployment, ServiceDeploymentStatus } from "@aws-sdk/client-ecs";
import type { ServicePorts } from "./ports.js";
import type { ControllerType } from "./state.js";

/** ECS's service deployments of a service, or why slipway's own records have to stand in for them. */
export type EcsDeployments = { deployments: ServiceDeployment[] } | { whyRecords: string };

export const notOffered = (reason: string) => `ECS service deployments are not offered by this endpoint: ${reason}`;

/**
 * Asks ECS for a service's deployments, newest first, where they can tell what it ran. ECS records none for an
 * EXTERNAL service (mode: canary or blue-green) — AWS and the simulator alike — so its answer, empty or from before
 * a migration, would hide slipway's records. An empty list for any other service says as little.
 * controllerOf is asked only once the endpoint offers service deployments: one without them (moto) may not
 * know the service either, and slipway's records are read without it.
 */
export async function ecsDeployments(
  ports: ServicePorts,
  service: { cluster: string; name: string; controllerOf: () => Promise<ControllerType | undefined> },
  options: { limit: number; status?: ServiceDeploymentStatus[] },
): Promise<EcsDeployments> {
  const listed = await ports.history.deployments(service.cluster, service.name, options);
  if (!listed.offered) return { whyRecords: notOffered(listed.reason) };
  if ((await service.controllerOf()) === "EXTERNAL") return { whyRecords: `ECS records no service deployments for ${service.name}: it uses the EXTERNAL deployment controller (mode: canary or blue-green)` };
  if (listed.value.length === 0) return { whyRecords: `ECS has no${options.status ? ` ${options.status.join(" or ")}` : ""} service deployments recorded for ${service.name}` };
  return { deployments: listed.value };
}
