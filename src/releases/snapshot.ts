import { InputError, NotFoundError } from "../errors.js";
import { nearest } from "../config/suggest.js";
import type { ProcessStep, ProjectProcess } from "../config/process-model.js";
import type { ImageCatalog } from "../aws/images.js";
import { loadManualInterventionStep } from "../../steps/manual-intervention/load.js";
import type { PackageRule } from "../../steps/service/input.js";
import { loadServiceStep, type LoadedServiceStep } from "../../steps/service/load.js";
import type { ImageRule, TaskDefinitionStepInput } from "../../steps/task-definition/input.js";
import { loadTaskDefinitionStep } from "../../steps/task-definition/load.js";
import { parseImageOverride } from "../../steps/task-definition/overrides.js";
import { resolveImages } from "../../steps/task-definition/resolve-images.js";
import { loadVerificationStep } from "../../steps/verification/load.js";
import type { Channel } from "../config/process-model.js";
import { narrowedRule } from "./channel-rules.js";
import { choosePackage, packageOverrides, type ChoicePorts, type PackageChoice } from "./package-choice.js";
import { refuseUnfitPackage } from "./package-fit.js";
import { snapshotPackage } from "./package-snapshot.js";
import type { ChosenImage, ReleaseSnapshot, SnapshotPackage, SnapshotStep } from "./release.js";

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

/** A task definition step's images: each container's by its rule narrowed by the channel, or by --image; pinned. */
export async function chooseImages(input: TaskDefinitionStepInput, request: Pick<SnapshotRequest, "channel" | "catalog">, overrides: ReadonlyMap<string, string>): Promise<ChosenImage[]> {
  const rules: Record<string, ImageRule> = {};
  for (const container of input.containers) {
    const flag = overrides.get(container.name);
    const rule = flag === undefined ? input.images[container.name] : parseImageOverride(flag, input)[1];
    if (rule) rules[container.name] = flag === undefined ? narrowedRule(rule, request.channel, container.name) : rule;
  }
  return chosen(await resolveImages({ containers: input.containers, images: rules }, request.catalog));
}

/** The process's step files read once, and the --image / --package flags checked against them before AWS is read. */
export interface ReadProcess {
  taskDefinitions: Map<ProcessStep, TaskDefinitionStepInput>;
  services: Map<ProcessStep, LoadedServiceStep>;
  overrides: Overrides;
}

export function readProcess(request: Pick<SnapshotRequest, "process" | "environments" | "images" | "packages">): ReadProcess {
  const options = { environments: request.environments };
  const taskDefinitions = new Map(request.process.steps.flatMap((step) => (step.uses === "task-definition" ? [[step, loadTaskDefinitionStep(step.file, options).input] as const] : [])));
  const images = overridesByContainer(request.images, new Set([...taskDefinitions.values()].flatMap((input) => input.containers.map((c) => c.name))));
  const services = new Map(request.process.steps.flatMap((step) => (step.uses === "service" ? [[step, loadServiceStep(step.file, options)] as const] : [])));
  const packages = packageOverrides(request.packages, new Set([...services.values()].flatMap((s) => (s.raw.package ? [s.raw.package.family] : []))));
  return { taskDefinitions, services, overrides: { images, packages } };
}

export interface SnapshotRequest {
  process: ProjectProcess;
  environments: readonly string[];
  channel: Channel;
  /** --image flags. */
  images: readonly string[];
  /** --package flags: family=revision. */
  packages: readonly string[];
  /** The registry images are chosen from: the first environment's target. */
  catalog: ImageCatalog;
  /** The first environment's task definitions, where service steps' packages are chosen. */
  taskDefinitions: ChoicePorts;
  /** Environment entries that carry secrets in this project: a package revision holding one in plain text is refused. */
  secretNames: ReadonlySet<string>;
}

/**
 * Freezes the process: reads every step file once more (they were validated with the project), chooses every
 * image by its rule — narrowed by the channel, replaced by --image — and pins it to its digest.
 */
export async function snapshotProcess(request: SnapshotRequest): Promise<ReleaseSnapshot> {
  const read = readProcess(request);
  const steps: SnapshotStep[] = [];
  for (const step of request.process.steps) steps.push(await snapshotStep(step, request, read.overrides, read.taskDefinitions.get(step), read.services.get(step)));
  return { steps, variables: request.process.variables };
}

export interface Overrides {
  /** --image, by container. */
  images: Map<string, string>;
  /** --package, by family. */
  packages: Map<string, number>;
}

async function snapshotStep(step: ProcessStep, request: SnapshotRequest, overrides: Overrides, taskDefinition: TaskDefinitionStepInput | undefined, service: LoadedServiceStep | undefined): Promise<SnapshotStep> {
  const base = { name: step.name, file: step.file, ...(step.environments && { environments: step.environments }) };
  switch (step.uses) {
    case "task-definition": {
      if (!taskDefinition) throw new Error(`snapshotStep: "${step.name}" was not read by snapshotProcess. This is a bug in slipway.`);
      return { ...base, uses: "task-definition", input: taskDefinition, images: await chooseImages(taskDefinition, request, overrides.images) };
    }
    case "service": {
      if (!service) throw new Error(`snapshotStep: "${step.name}" was not read by snapshotProcess. This is a bug in slipway.`);
      const taken = service.raw.package ? await packageOf(step, service, service.raw.package, request, overrides.packages.get(service.raw.package.family)) : undefined;
      return { ...base, uses: "service", raw: service.raw, ...(step.taskDefinitionFrom !== undefined && { taskDefinitionFrom: step.taskDefinitionFrom }), ...(taken && { package: taken }) };
    }
    case "verification":
      return { ...base, uses: "verification", input: loadVerificationStep(step.file).input };
    case "manual-intervention":
      return { ...base, uses: "manual-intervention", input: loadManualInterventionStep(step.file).input };
  }
}

/** The service step's package: its revision chosen in the first environment, and that revision's whole definition. */
async function packageOf(step: ProcessStep, service: LoadedServiceStep, rule: PackageRule, request: SnapshotRequest, override: number | undefined): Promise<SnapshotPackage> {
  const environment = request.environments[0] as string;
  const choice = await choosePackage({ step: step.name, rule, channel: request.channel, environment, limit: 1, ...(override !== undefined && { override }) }, request.taskDefinitions);
  return await keepPackage(choice, step.file, service, { ...request, environment });
}

/**
 * A chosen revision as a release keeps it: whole (as choosing it described it), images pinned, and refused when
 * the release could not run it — a secret in plain text, a container or port the step's load balancers route to
 * missing.
 */
export async function keepPackage(choice: PackageChoice, file: string, service: LoadedServiceStep, request: Pick<SnapshotRequest, "catalog" | "secretNames"> & { environment: string }): Promise<SnapshotPackage> {
  const kept = await snapshotPackage({ facts: choice.chosen, chosenBy: choice.chosenBy, environment: request.environment, catalog: request.catalog, secretNames: request.secretNames });
  refuseUnfitPackage(service.raw, file, kept.definition, `${kept.family}:${kept.revision}`);
  return kept;
}
