import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { InputError } from "../errors.js";
import type { RawServiceStep } from "../../steps/service/input.js";
import { packageTagCount as slipwayTagCount } from "../../steps/service/package-revision.js";

/** RegisterTaskDefinition's limit on tags. */
const maxTags = 50;

/**
 * A package's revision can run behind the step's load balancers: each container they route to exists and maps the
 * port, in every environment's settings; and it can be registered with slipway's tags (ECS takes at most 50).
 * Checked at release time, as a task definition step's template is when the project loads: otherwise ECS refuses
 * CreateService only after the revision was registered.
 */
export function refuseUnfitPackage(raw: RawServiceStep, file: string, definition: RegisterTaskDefinitionCommandInput, revision: string): void {
  const tags = definition.tags?.length ?? 0;
  if (tags + slipwayTagCount > maxTags) {
    throw new InputError(`${revision} carries ${tags} tags, and registering it for an environment adds ${slipwayTagCount} of slipway's: ECS takes at most ${maxTags}.`, `Register a revision with at most ${maxTags - slipwayTagCount} tags, or choose another with --package.`);
  }
  const extra = (where: string, list: readonly { containerName: string; containerPort: number }[] | undefined) => (list ?? []).map((target, i) => ({ where: `${where}[${i}]`, target }));
  const routes = [
    { where: "loadBalancer", target: raw.loadBalancer },
    ...extra("loadBalancers", raw.loadBalancers),
    ...Object.entries(raw.environments ?? {}).flatMap(([env, own]) => [{ where: `environments.${env}.loadBalancer`, target: own.loadBalancer }, ...extra(`environments.${env}.loadBalancers`, own.loadBalancers)]),
  ];
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
