import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { InputError } from "../errors.js";
import type { RawServiceStep } from "../../steps/service/input.js";

/**
 * A package's revision can run behind the step's load balancer: the container it routes to exists and maps the
 * port, in every environment's settings. Checked at release time, as a task definition step's template is when
 * the project loads: otherwise ECS refuses CreateService only after the revision was registered.
 */
export function refuseUnfitPackage(raw: RawServiceStep, file: string, definition: RegisterTaskDefinitionCommandInput, revision: string): void {
  const routes = [{ where: "loadBalancer", target: raw.loadBalancer }, ...Object.entries(raw.environments ?? {}).map(([env, own]) => ({ where: `environments.${env}.loadBalancer`, target: own.loadBalancer }))];
  const containers = definition.containerDefinitions ?? [];
  for (const { where, target } of routes) {
    if (!target) continue;
    const container = containers.find((c) => c.name === target.containerName);
    if (!container) {
      throw new InputError(
        `${revision} has no container "${target.containerName}", which ${where} in ${file} routes to (its containers: ${containers.map((c) => c.name ?? "").join(", ")}).`,
        `Choose a revision with that container (--package), or route ${where} to one of its containers.`,
      );
    }
    const ports = (container.portMappings ?? []).map((m) => m.containerPort);
    if (!ports.includes(target.containerPort)) {
      throw new InputError(
        `${revision}'s container "${target.containerName}" maps ${ports.length > 0 ? `ports ${ports.join(", ")}` : "no port"}, and ${where} in ${file} routes to ${target.containerPort}.`,
        `Choose a revision that maps ${target.containerPort} (--package), or route ${where} to a port it maps.`,
      );
    }
  }
}
