import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, Tag } from "@aws-sdk/client-ecs";
import type { VariableMap } from "./input.js";
import { environmentTag, releaseTag } from "./ownership.js";
import { substitute, type MissingVariable } from "./substitute.js";

/** A container's image as chosen for this release and pinned to its digest. */
export interface PinnedImage {
  container: string;
  repository: string;
  /** The tag it was chosen by; absent when the step named a digest. */
  tag?: string;
  digest: string;
  /** "<repositoryUri>@<digest>": what the task definition runs, immutable whatever the tag does later. */
  image: string;
}

export interface RenderRequest {
  family: string;
  template: Record<string, unknown>;
  variables: VariableMap;
  /** One per container of the template. */
  images: PinnedImage[];
  environment: string;
  release?: string;
}

export type RenderResult = { ok: true; input: RegisterTaskDefinitionCommandInput } | { ok: false; missing: MissingVariable[] };

/** The tags every revision slipway registers carries: which release, environment and image tags made it. */
export function slipwayTags(request: Pick<RenderRequest, "environment" | "release" | "images">): Tag[] {
  return [
    ...(request.release !== undefined ? [{ key: releaseTag, value: request.release }] : []),
    { key: environmentTag, value: request.environment },
    ...request.images.map((i) => ({ key: `slipway:image/${i.container}`, value: i.tag ?? i.digest })),
  ];
}

/** AWS takes task-level cpu and memory as strings; a placeholder whose variable is a number gives a number. */
function taskSize(value: unknown): unknown {
  return typeof value === "number" ? String(value) : value;
}

/**
 * Template + this environment's variables + pinned images → the RegisterTaskDefinition input. Pure: every
 * missing variable is returned (with where it was written) rather than thrown, so all are reported at once.
 */
export function render(request: RenderRequest): RenderResult {
  const { value, missing } = substitute(request.template, request.variables);
  if (missing.length > 0) return { ok: false, missing };
  const pinned = new Map(request.images.map((i) => [i.container, i.image]));
  const containers = (value.containerDefinitions as ContainerDefinition[]).map((c) => ({ ...c, image: pinned.get(c.name ?? "") ?? c.image }));
  const userTags = (value.tags as Tag[] | undefined) ?? [];
  const input: RegisterTaskDefinitionCommandInput = {
    ...(value as Omit<RegisterTaskDefinitionCommandInput, "family" | "containerDefinitions">),
    family: request.family,
    containerDefinitions: containers,
    ...(value.cpu !== undefined && { cpu: taskSize(value.cpu) as string }),
    ...(value.memory !== undefined && { memory: taskSize(value.memory) as string }),
    tags: [...userTags, ...slipwayTags(request)],
  };
  return { ok: true, input };
}
