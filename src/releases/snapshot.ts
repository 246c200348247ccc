import { InputError, NotFoundError } from "../errors.js";
import { nearest } from "../config/suggest.js";
import type { ProcessStep, ProjectProcess } from "../config/process-model.js";
import type { ImageCatalog } from "../aws/images.js";
import { loadManualInterventionStep } from "../../steps/manual-intervention/load.js";
import { loadServiceStep } from "../../steps/service/load.js";
import type { ImageRule, TaskDefinitionStepInput } from "../../steps/task-definition/input.js";
import { loadTaskDefinitionStep } from "../../steps/task-definition/load.js";
import { parseImageOverride } from "../../steps/task-definition/overrides.js";
import { resolveImages } from "../../steps/task-definition/resolve-images.js";
import { loadVerificationStep } from "../../steps/verification/load.js";
import type { Channel } from "../config/process-model.js";
import { narrowedRule } from "./channel-rules.js";
import type { ChosenImage, ReleaseSnapshot, SnapshotStep } from "./release.js";

/** `--image web=1.4.3` / `--image web@sha256:…` given at release time, by container name. */
function overridesByContainer(flags: readonly string[], containers: ReadonlySet<string>): Map<string, string> {
  const byContainer = new Map<string, string>();
  for (const flag of flags) {
    const container = /^([A-Za-z0-9_-]+)[=@]/.exec(flag)?.[1];
    if (container === undefined) throw new InputError(`--image ${flag} is not an image choice.`, "Write --image web=1.4.3 or --image web@sha256:<64 hex digits>.");
    // A container the process lacks is a name looked up and not found, like an unknown channel.
    if (!containers.has(container)) {
      const guess = nearest(container, [...containers]);
      throw new NotFoundError(`--image ${flag} names the container "${container}", which no task definition step of the process has.`, `${guess ? `Did you mean "${guess}"? ` : ""}The containers are: ${[...containers].join(", ")}.`);
    }
    if (byContainer.has(container)) throw new InputError(`--image is given twice for the container "${container}".`, "Give one choice per container.");
    byContainer.set(container, flag);
  }
  return byContainer;
}

function chosen(images: Awaited<ReturnType<typeof resolveImages>>): ChosenImage[] {
  return images.map((i) => ({ container: i.container, repository: i.repository, repositoryUri: i.image.slice(0, i.image.lastIndexOf("@")), ...(i.tag !== undefined && { tag: i.tag }), digest: i.digest }));
}

export interface SnapshotRequest {
  process: ProjectProcess;
  environments: readonly string[];
  channel: Channel;
  /** --image flags. */
  images: readonly string[];
  /** The registry images are chosen from: the first environment's target. */
  catalog: ImageCatalog;
}

/**
 * Freezes the process: reads every step file once more (they were validated with the project), chooses every
 * image by its rule — narrowed by the channel, replaced by --image — and pins it to its digest.
 */
export async function snapshotProcess(request: SnapshotRequest): Promise<ReleaseSnapshot> {
  const options = { environments: request.environments };
  // Each task definition step is read once: its containers check every --image before any registry is read.
  const inputs = new Map(request.process.steps.flatMap((step) => (step.uses === "task-definition" ? [[step, loadTaskDefinitionStep(step.file, options).input] as const] : [])));
  const overrides = overridesByContainer(request.images, new Set([...inputs.values()].flatMap((input) => input.containers.map((c) => c.name))));
  const steps: SnapshotStep[] = [];
  for (const step of request.process.steps) steps.push(await snapshotStep(step, request, overrides, inputs.get(step)));
  return { steps, variables: request.process.variables };
}

async function snapshotStep(step: ProcessStep, request: SnapshotRequest, overrides: Map<string, string>, taskDefinition: TaskDefinitionStepInput | undefined): Promise<SnapshotStep> {
  const base = { name: step.name, file: step.file, ...(step.environments && { environments: step.environments }) };
  const options = { environments: request.environments };
  switch (step.uses) {
    case "task-definition": {
      if (!taskDefinition) throw new Error(`snapshotStep: "${step.name}" was not read by snapshotProcess. This is a bug in slipway.`);
      const input = taskDefinition;
      const rules: Record<string, ImageRule> = {};
      for (const container of input.containers) {
        const flag = overrides.get(container.name);
        const rule = flag === undefined ? input.images[container.name] : parseImageOverride(flag, input)[1];
        if (rule) rules[container.name] = flag === undefined ? narrowedRule(rule, request.channel, container.name) : rule;
      }
      const pinned = await resolveImages({ containers: input.containers, images: rules }, request.catalog);
      return { ...base, uses: "task-definition", input, images: chosen(pinned) };
    }
    case "service":
      return { ...base, uses: "service", raw: loadServiceStep(step.file, options).raw, ...(step.taskDefinitionFrom !== undefined && { taskDefinitionFrom: step.taskDefinitionFrom }) };
    case "verification":
      return { ...base, uses: "verification", input: loadVerificationStep(step.file).input };
    case "manual-intervention":
      return { ...base, uses: "manual-intervention", input: loadManualInterventionStep(step.file).input };
  }
}
