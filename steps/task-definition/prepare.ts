import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { ImageCatalog } from "../../src/aws/images.js";
import type { TaskDefinitionReader, RevisionRef } from "../../src/aws/task-definitions.js";
import type { TaskDefinitionUsage } from "../../src/aws/task-definitions-in-use.js";
import type { Plan } from "../../src/engine/plan.js";
import { variablesFor } from "./input.js";
import type { LoadedTaskDefinitionStep } from "./load.js";
import { normalise } from "./normalise.js";
import { contentHash, contentTag, type RevisionFacts } from "./ownership.js";
import { planTaskDefinition, retentionCandidates, type CurrentRevision, type TaskDefinitionAction } from "./plan.js";
import { render, type PinnedImage } from "./render.js";
import { resolveImages } from "./resolve-images.js";
import type { RevisionIndex } from "./revision-index.js";
import { missingVariablesError } from "./variable-problems.js";

export interface RenderOptions {
  environment: string;
  release?: string;
  /** Secret variable → its reference (provide-secrets.ts): what `${VARIABLE}` becomes, whatever scope defined it. */
  secretReferences?: Readonly<Record<string, string>>;
}

export interface RenderedTaskDefinition {
  input: RegisterTaskDefinitionCommandInput;
  images: PinnedImage[];
}

/** Chooses and pins the images (reads ECR), then renders the template for the environment. */
export async function renderStep(loaded: LoadedTaskDefinitionStep, catalog: ImageCatalog, options: RenderOptions): Promise<RenderedTaskDefinition> {
  const { input } = loaded;
  const variables = { ...variablesFor(input, options.environment), ...options.secretReferences };
  // Undefined variables are found before ECR is read: a typo should not cost AWS calls.
  const check = render({ family: input.family, template: input.template, variables, images: [], environment: options.environment });
  if (!check.ok) throw missingVariablesError(loaded.templateSource, options.environment, check.missing, variables);
  const images = await resolveImages(input, catalog);
  const rendered = render({ family: input.family, template: input.template, variables, images, environment: options.environment, ...(options.release !== undefined && { release: options.release }) });
  if (!rendered.ok) throw missingVariablesError(loaded.templateSource, options.environment, rendered.missing, variables);
  return { input: rendered.input, images };
}

/**
 * How many of a family's ACTIVE revisions, newest first, are described in search of one the environment can
 * reuse when retention does not bound the family (with retention every ACTIVE revision is read anyway). Each
 * costs one DescribeTaskDefinition the first time; an identical definition older than this is not found, and is
 * registered again.
 */
export const reuseWindow = 100;

export interface EnvironmentState {
  /** The environment's newest ACTIVE revision. */
  current?: CurrentRevision;
  /** The environment's ACTIVE revision with the desired content, if any. */
  identical?: CurrentRevision;
  /** The environment's ACTIVE revisions found; every one of them when `whole` was asked. */
  ownRevisions: RevisionRef[];
}

const asCurrent = (f: RevisionFacts): CurrentRevision => ({ arn: f.arn, revision: f.revision, definition: f.definition });

/**
 * The environment's revisions of the family (ownership.ts), newest first: its newest, and one with the desired
 * content. Stops describing once both are known unless `whole` asks for all of them (retention needs that).
 */
export async function readEnvironment(reader: TaskDefinitionReader, index: RevisionIndex, family: string, environment: string, content: string | undefined, whole: boolean): Promise<EnvironmentState> {
  const refs = await reader.listRevisions(family, "ACTIVE");
  const state: EnvironmentState = { ownRevisions: [] };
  let described = 0;
  for await (const facts of index.newestFirst(refs)) {
    described++;
    if (facts.environment === environment && facts.status === "ACTIVE") {
      state.current ??= asCurrent(facts);
      if (content !== undefined && facts.content === content) state.identical ??= asCurrent(facts);
      state.ownRevisions.push({ arn: facts.arn, family: facts.family, revision: facts.revision });
    }
    const found = state.current !== undefined && (content === undefined || state.identical !== undefined);
    if (!whole && (found || described >= reuseWindow)) break;
  }
  return state;
}

export interface PlanPorts {
  reader: TaskDefinitionReader;
  index: RevisionIndex;
  usage: TaskDefinitionUsage;
}

/**
 * Reads what is there and plans against it. What retention must keep — revisions any service of the account and
 * region runs, and `releasesUse` (revisions releases deployed somewhere still use, from the project's store) —
 * is read only when retention has candidates.
 */
export async function planStep(loaded: LoadedTaskDefinitionStep, rendered: RenderedTaskDefinition, ports: PlanPorts, environment: string, releasesUse: ReadonlyMap<string, string> = new Map()): Promise<{ plan: Plan<TaskDefinitionAction>; current?: CurrentRevision; identical?: CurrentRevision }> {
  const { family, retention } = loaded.input;
  const definition = normalise(rendered.input);
  const content = contentHash(definition);
  const state = await readEnvironment(ports.reader, ports.index, family, environment, content, retention !== undefined);
  const base = {
    step: `task-definition:${family}`,
    family,
    environment,
    desired: { input: withContentTag(rendered.input, content), definition, content },
    ...(state.current && { current: state.current }),
    ...(state.identical && { identical: state.identical }),
    ownRevisions: state.ownRevisions,
    ...(retention && { retention }),
  };
  const isProtected = retentionCandidates(base).length > 0 ? new Map([...releasesUse, ...(await ports.usage.inUse())]) : undefined;
  return { plan: planTaskDefinition({ ...base, ...(isProtected && { protected: isProtected }) }), ...(state.current && { current: state.current }), ...(state.identical && { identical: state.identical }) };
}

/** The content hash as a tag, so people and other tools can see which revisions are the same definition. */
function withContentTag(input: RegisterTaskDefinitionCommandInput, content: string): RegisterTaskDefinitionCommandInput {
  return { ...input, tags: [...(input.tags ?? []).filter((t) => t.key !== contentTag), { key: contentTag, value: content }] };
}
