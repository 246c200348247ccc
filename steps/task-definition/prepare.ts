import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { ImageCatalog } from "../../src/aws/images.js";
import type { TaskDefinitionReader, RevisionRef } from "../../src/aws/task-definitions.js";
import type { TaskDefinitionUsage } from "../../src/aws/task-definitions-in-use.js";
import type { Plan } from "../../src/engine/plan.js";
import { variablesFor } from "./input.js";
import type { LoadedTaskDefinitionStep } from "./load.js";
import { normalise } from "./normalise.js";
import { planTaskDefinition, retentionCandidates, type CurrentRevision, type TaskDefinitionAction } from "./plan.js";
import { render, type PinnedImage } from "./render.js";
import { resolveImages } from "./resolve-images.js";
import { missingVariablesError } from "./variable-problems.js";

export interface RenderOptions {
  environment: string;
  release?: string;
}

export interface RenderedTaskDefinition {
  input: RegisterTaskDefinitionCommandInput;
  images: PinnedImage[];
}

/** Chooses and pins the images (reads ECR), then renders the template for the environment. */
export async function renderStep(loaded: LoadedTaskDefinitionStep, catalog: ImageCatalog, options: RenderOptions): Promise<RenderedTaskDefinition> {
  const { input } = loaded;
  const variables = variablesFor(input, options.environment);
  // Undefined variables are found before ECR is read: a typo should not cost AWS calls.
  const check = render({ family: input.family, template: input.template, variables, images: [], environment: options.environment });
  if (!check.ok) throw missingVariablesError(loaded.templateSource, options.environment, check.missing, variables);
  const images = await resolveImages(input, catalog);
  const rendered = render({ family: input.family, template: input.template, variables, images, environment: options.environment, ...(options.release !== undefined && { release: options.release }) });
  if (!rendered.ok) throw missingVariablesError(loaded.templateSource, options.environment, rendered.missing, variables);
  return { input: rendered.input, images };
}

export interface CurrentState {
  current?: CurrentRevision;
  activeRevisions: RevisionRef[];
}

/** The family's newest ACTIVE revision (one describe), and its ACTIVE revisions only when retention needs them. */
export async function readCurrent(reader: TaskDefinitionReader, family: string, withRevisions: boolean): Promise<CurrentState> {
  const described = await reader.describe(family);
  const definition = described?.taskDefinition;
  const current = definition?.taskDefinitionArn && definition.status === "ACTIVE" ? { arn: definition.taskDefinitionArn, revision: definition.revision ?? 0, definition: normalise(definition) } : undefined;
  const activeRevisions = withRevisions ? await reader.listRevisions(family, "ACTIVE") : current ? [{ arn: current.arn, family, revision: current.revision }] : [];
  return { ...(current && { current }), activeRevisions };
}

export interface PlanPorts {
  reader: TaskDefinitionReader;
  usage: TaskDefinitionUsage;
}

/** Reads what is there and plans against it. Services are read only when retention has revisions to consider. */
export async function planStep(loaded: LoadedTaskDefinitionStep, rendered: RenderedTaskDefinition, ports: PlanPorts, cluster: string): Promise<{ plan: Plan<TaskDefinitionAction>; current?: CurrentRevision }> {
  const { family, retention } = loaded.input;
  const state = await readCurrent(ports.reader, family, retention !== undefined);
  const base = {
    step: `task-definition:${family}`,
    family,
    desired: { input: rendered.input, definition: normalise(rendered.input) },
    ...(state.current && { current: state.current }),
    activeRevisions: state.activeRevisions,
    ...(retention && { retention }),
  };
  const inUse = retentionCandidates(base).length > 0 ? await ports.usage.inUse(cluster) : undefined;
  return { plan: planTaskDefinition({ ...base, ...(inUse && { inUse }) }), ...(state.current && { current: state.current }) };
}
