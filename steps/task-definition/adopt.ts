import type { TaskDefinition } from "@aws-sdk/client-ecs";
import type { RawImageRule, RawTaskDefinitionStep, VariableMap } from "./input.js";

/** What AWS records about a revision rather than its content: not part of a step file. */
const revisionFacts = ["taskDefinitionArn", "family", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt", "tags"];

const ecrImage = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the target's images live: a task definition step takes its images from this registry only. */
export interface Registry {
  account: string;
  region: string;
}

export type AdoptedTaskDefinition = { step: RawTaskDefinitionStep } | { refused: string };

/** Drops what a step file need not say: nulls, empty lists and empty maps (ECS answers with them). */
function pruned(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruned);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = pruned(item);
    if (kept === undefined || kept === null || (Array.isArray(kept) && kept.length === 0) || (typeof kept === "object" && !Array.isArray(kept) && Object.keys(kept as object).length === 0)) continue;
    out[key] = kept;
  }
  return out;
}

/** Values ECS writes into what it answers when they were left out: a step need not repeat them (normalise.ts agrees). */
function withoutDefaults(container: Record<string, unknown>, networkMode: unknown): void {
  if (container.essential === true) delete container.essential;
  if (container.cpu === 0) delete container.cpu;
  const mappings = (container.portMappings ?? []) as Record<string, unknown>[];
  for (const mapping of mappings) {
    if (mapping.protocol === "tcp") delete mapping.protocol;
    if (networkMode === "awsvpc" && mapping.hostPort === mapping.containerPort) delete mapping.hostPort;
  }
}

/**
 * The task definition step that reproduces a running revision, for `slipway init`: each container's image becomes
 * its ECR repository with the running tag or digest as the rule, each environment value a variable (so it can
 * differ per environment), and secrets stay as their valueFrom — a secret's value is never read. Pure. A container
 * whose image is not in the target's own ECR cannot be chosen at release time, so the step is refused with why.
 */
export function taskDefinitionStepFrom(definition: TaskDefinition, registry: Registry): AdoptedTaskDefinition {
  const template = JSON.parse(JSON.stringify(definition)) as Record<string, unknown>;
  for (const key of revisionFacts) delete template[key];
  const images: Record<string, RawImageRule> = {};
  const variables: VariableMap = {};
  const containers = (template.containerDefinitions ?? []) as Record<string, unknown>[];
  for (const container of containers) {
    const name = String(container.name ?? "");
    const image = String(container.image ?? "");
    const parts = ecrImage.exec(image);
    if (!parts || parts[1] !== registry.account || parts[2] !== registry.region) {
      return { refused: `the container "${name}" runs ${image}, which is not in this account's ECR (${registry.account}, ${registry.region}); a task definition step chooses images from there only` };
    }
    const [, , , repository = "", tag, digest] = parts;
    container.image = repository;
    withoutDefaults(container, template.networkMode);
    images[name] = digest ? { digest } : { tag: tag ?? "latest", ...((tag === undefined || tag === "latest") && { allowMovingTag: true }) };
    const environment = (container.environment ?? []) as { name?: string; value?: string }[];
    container.environment = environment.map((entry) => {
      const key = entry.name ?? "";
      const value = entry.value ?? "";
      // A value that names another variable's placeholder, or a name that cannot be one, stays as written.
      if (!variableName.test(key) || value.includes("${") || (key in variables && variables[key] !== value)) return entry;
      variables[key] = value;
      return { name: key, value: `\${${key}}` };
    });
  }
  const step: RawTaskDefinitionStep = {
    family: definition.family ?? "",
    definition: pruned(template) as Record<string, unknown>,
    images,
    ...(Object.keys(variables).length > 0 && { variables: { default: variables } }),
  };
  return { step };
}
