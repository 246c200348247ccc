import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError, type Problem } from "../errors.js";
import { stepLoaders, stepLoaderNamed, type StepLoader } from "../../steps/loaders.js";
import type { LoadedServiceStep } from "../../steps/service/load.js";
import { problemAt } from "../../steps/step-file.js";
import type { LoadedTaskDefinitionStep } from "../../steps/task-definition/load.js";
import { exampleEntry } from "./example.js";
import { joinPointer } from "./pointer.js";
import type { PlaceholderStep } from "./process-placeholders.js";
import type { ProcessStep, StepKind } from "./process-model.js";
import { isRecord } from "./raw.js";
import { readSource, type SourceDocument } from "./source.js";
import { nearest } from "./suggest.js";

export interface StepsCheck {
  steps: ProcessStep[];
  /**
   * The container names of every task-definition step, for the channels' imageTags; undefined when a
   * task-definition step could not be loaded, since a partial list would call real containers unknown.
   */
  containers: string[] | undefined;
  /** The task-definition steps that loaded, with the environments each runs in, for checks against the project's variables. */
  taskDefinitions: PlaceholderStep[];
  problems: Problem[];
  /** The step files (and the templates they read) in process order, for ordering problems. */
  files: string[];
}

/** One item of process: as far as it could be read; fields the schema rejected are left out. */
interface Entry {
  index: number;
  name?: string;
  uses?: string;
  /** The step file as a path from the working directory. */
  file?: string;
  environments?: string[];
  taskDefinitionFrom?: string;
  /** What the step's own loader returned; undefined when the file is missing or has problems. */
  loaded?: unknown;
}

const at = (index: number, ...segments: (string | number)[]) => joinPointer("/process", index, ...segments);

/** The step's file through its own loader; its InputError's problems become ours, so all are reported together. */
function loadStepFile(doc: SourceDocument, entry: Entry, step: StepLoader, file: string, environments: readonly string[]): { loaded?: unknown; problems: Problem[] } {
  try {
    return { loaded: step.load(file, { environments }), problems: [] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    if (error.problems.length > 0) return { problems: error.problems };
    // An error about the file as a whole (unreadable, a folder): the fix is to the path in slipway.yaml.
    return { problems: [problemAt(doc, at(entry.index, "file"), error.message, error.hint ?? "Check the path; it is relative to this file.")] };
  }
}

function readEntry(doc: SourceDocument, item: Record<string, unknown>, index: number, environments: readonly string[], problems: Problem[], files: string[]): Entry {
  const entry: Entry = { index };
  if (typeof item.name === "string") entry.name = item.name;
  if (typeof item.taskDefinitionFrom === "string") entry.taskDefinitionFrom = item.taskDefinitionFrom;
  let step: StepLoader | undefined;
  if (typeof item.uses === "string") {
    entry.uses = item.uses;
    step = stepLoaderNamed(item.uses);
    if (!step) {
      const known = [...stepLoaders.keys()];
      const guess = nearest(item.uses, known);
      problems.push(problemAt(doc, at(index, "uses"), `"${item.uses}" is not a step slipway has.`, guess ? `Did you mean ${exampleEntry(doc.syntax, "uses", guess)}? The steps are: ${known.join(", ")}.` : `Use one of: ${known.join(", ")}.`));
    }
  }
  if (Array.isArray(item.environments)) {
    entry.environments = item.environments.filter((e): e is string => typeof e === "string");
    item.environments.forEach((name: unknown, j) => {
      if (typeof name !== "string" || environments.includes(name)) return;
      const guess = nearest(name, environments);
      const list = `The environments are: ${environments.join(", ")}.`;
      problems.push(problemAt(doc, at(index, "environments", j), `"${name}" is not an environment of the project.`, guess ? `Did you mean "${guess}"? ${list}` : list));
    });
  }
  if (typeof item.file === "string") {
    const file = join(dirname(doc.file), item.file);
    entry.file = file;
    if (!existsSync(file)) {
      problems.push(problemAt(doc, at(index, "file"), `The step file "${item.file}" does not exist (looked for ${file}).`, "Fix the path (it is relative to this file), or create the step file."));
    } else if (step) {
      files.push(file);
      const result = loadStepFile(doc, entry, step, file, environments);
      problems.push(...result.problems);
      for (const p of result.problems) if (!files.includes(p.file)) files.push(p.file);
      if (result.loaded !== undefined) entry.loaded = result.loaded;
    }
  }
  return entry;
}

function names(entries: Entry[]): string {
  return entries.map((e) => `"${e.name ?? ""}"`).join(", ");
}

/**
 * Which task-definition step a service step runs: the one taskDefinitionFrom names, which must come earlier, or
 * by default the nearest one before it. Problems are pushed; undefined when there is none.
 */
function taskDefinitionStepFor(doc: SourceDocument, entry: Entry, entries: Entry[], problems: Problem[]): Entry | undefined {
  const earlier = entries.filter((e) => e.index < entry.index && e.uses === "task-definition" && e.name !== undefined);
  const named = entry.taskDefinitionFrom;
  if (named === undefined) return earlier.at(-1);
  const path = at(entry.index, "taskDefinitionFrom");
  const target = entries.find((e) => e.name === named);
  const choices = earlier.length > 0 ? `The task-definition steps before it are: ${names(earlier)}.` : "There is no task-definition step before it.";
  if (!target) {
    const guess = nearest(named, earlier.map((e) => e.name ?? ""));
    problems.push(problemAt(doc, path, `No step is named "${named}".`, guess ? `Did you mean "${guess}"? ${choices}` : choices));
  } else if (target.uses !== "task-definition") {
    problems.push(problemAt(doc, path, `"${named}" is a ${target.uses ?? "step of unknown kind"} step; taskDefinitionFrom names a task-definition step.`, choices));
  } else if (target.index > entry.index) {
    problems.push(problemAt(doc, path, `"${named}" runs after this step, so its task definition is not registered yet when the service is deployed.`, "Move the task-definition step before this one in process:."));
  } else {
    return target;
  }
  return undefined;
}

/** A service step whose file takes its task definition as a package from the feed (known once the file loaded). */
function takesPackage(entry: Entry): boolean {
  return (entry.loaded as LoadedServiceStep | undefined)?.raw.package !== undefined;
}

/** Rules between a service step and the step its task definition comes from. */
function serviceProblems(doc: SourceDocument, entry: Entry, source: Entry | undefined, environments: readonly string[]): Problem[] {
  const service = entry.loaded as LoadedServiceStep | undefined;
  if (!source) {
    // Reported only once the file loaded: until then whether it names its own taskDefinition is unknown.
    if (!service || service.raw.taskDefinition !== undefined || entry.taskDefinitionFrom !== undefined) return [];
    return [
      problemAt(
        doc,
        at(entry.index),
        `The service step "${entry.name ?? ""}" has nothing to run: no task-definition step comes before it, and its step file names no taskDefinition.`,
        `Add a task-definition step before it in process:, or add ${exampleEntry(doc.syntax, "taskDefinition", "shop-web")} to its step file.`,
      ),
    ];
  }
  const targetProblems = service && source.loaded ? loadBalancerTargetProblems(service, source.loaded as LoadedTaskDefinitionStep, source.name ?? "") : [];
  if (!source.environments) return targetProblems;
  const runsIn = entry.environments ?? [...environments];
  const missing = runsIn.filter((e) => !source.environments?.includes(e));
  if (missing.length === 0) return targetProblems;
  const path = entry.taskDefinitionFrom !== undefined ? at(entry.index, "taskDefinitionFrom") : at(entry.index, "name");
  return [
    ...targetProblems,
    problemAt(
      doc,
      path,
      `"${entry.name ?? ""}" runs in ${missing.join(", ")}, where its task-definition step "${source.name ?? ""}" does not run.`,
      `Add ${missing.join(", ")} to the environments of "${source.name ?? ""}", or give this step ${exampleEntry(doc.syntax, "environments", source.environments)}`,
    ),
  ];
}

/**
 * The container and port a service step routes load balancer traffic to exist in the task definition it runs:
 * otherwise ECS refuses CreateService (InvalidParameterException) after the revision was registered. A port written
 * as a ${PLACEHOLDER} is known only per environment, so a container with one is not checked for its port.
 */
function loadBalancerTargetProblems(service: LoadedServiceStep, source: LoadedTaskDefinitionStep, sourceName: string): Problem[] {
  const target = service.raw.loadBalancer;
  if (!target) return [];
  const names = source.input.containers.map((c) => c.name);
  const definitions = (source.input.template.containerDefinitions ?? []) as { name?: unknown; portMappings?: { containerPort?: unknown }[] }[];
  // The step file is read again for a position only when there is a problem to place: every project load passes here.
  const problem = (field: string, message: string, hint: string): Problem => ({ file: service.file, path: `/loadBalancer/${field}`, ...readSource(service.file).positionOf(`/loadBalancer/${field}`), message, hint });
  if (!names.includes(target.containerName)) {
    const guess = nearest(target.containerName, names);
    return [problem("containerName", `loadBalancer.containerName is "${target.containerName}", but the task definition of "${sourceName}" (${source.file}) has no such container.`, `${guess ? `Did you mean "${guess}"? ` : ""}Its containers are: ${names.join(", ")}.`)];
  }
  const ports = definitions.find((d) => d.name === target.containerName)?.portMappings?.map((m) => m.containerPort) ?? [];
  if (ports.some((p) => typeof p !== "number") || ports.includes(target.containerPort)) return [];
  const listed = ports.length === 0 ? "no portMappings" : `portMappings for ${ports.join(", ")}`;
  return [problem("containerPort", `loadBalancer.containerPort is ${target.containerPort}, but the container "${target.containerName}" in ${source.file} has ${listed}.`, `Route to a port the container maps, or add { containerPort: ${target.containerPort} } to its portMappings.`)];
}

function duplicateNameProblems(doc: SourceDocument, entries: Entry[]): Problem[] {
  const first = new Map<string, Entry>();
  const problems: Problem[] = [];
  for (const entry of entries) {
    if (entry.name === undefined) continue;
    const earlier = first.get(entry.name);
    if (!earlier) {
      first.set(entry.name, entry);
      continue;
    }
    problems.push(problemAt(doc, at(entry.index, "name"), `The step name "${entry.name}" is already used by step ${earlier.index + 1}.`, "Give each step its own name: it names the step's journal entries and output, and taskDefinitionFrom refers to it."));
  }
  return problems;
}

function toStep(entry: Entry, source: Entry | undefined): ProcessStep {
  return {
    name: entry.name ?? "",
    uses: entry.uses as StepKind,
    file: entry.file ?? "",
    ...(entry.environments && { environments: entry.environments }),
    ...(entry.uses === "service" && source?.name !== undefined && { taskDefinitionFrom: source.name }),
  };
}

/**
 * The process: of a project document, each step's file loaded by its own step, and the rules between steps.
 * Reads leniently (the value may have failed its schema), so every problem can be reported in one pass.
 */
export function checkSteps(doc: SourceDocument, environments: readonly string[]): StepsCheck {
  const list = isRecord(doc.value) && Array.isArray(doc.value.process) ? (doc.value.process as unknown[]) : [];
  const problems: Problem[] = [];
  const files: string[] = [];
  const entries = list.flatMap((item, i) => (isRecord(item) ? [readEntry(doc, item, i, environments, problems, files)] : []));
  problems.push(...duplicateNameProblems(doc, entries));
  const steps: ProcessStep[] = [];
  for (const entry of entries) {
    let source: Entry | undefined;
    if (entry.uses === "service" && takesPackage(entry)) {
      // Its revision is chosen at release time from the feed, not handed on by a task-definition step.
      if (entry.taskDefinitionFrom !== undefined) {
        problems.push(problemAt(doc, at(entry.index, "taskDefinitionFrom"), `The service step "${entry.name ?? ""}" takes its task definition from the feed (package: in its step file), not from a task-definition step.`, "Remove taskDefinitionFrom, or remove package: from the step file to run that step's revision.", "key"));
      }
    } else if (entry.uses === "service") {
      source = taskDefinitionStepFor(doc, entry, entries, problems);
      problems.push(...serviceProblems(doc, entry, source, environments));
    } else if (entry.taskDefinitionFrom !== undefined) {
      problems.push(problemAt(doc, at(entry.index, "taskDefinitionFrom"), "taskDefinitionFrom only applies to service steps.", "Remove it from this step.", "key"));
    }
    steps.push(toStep(entry, source));
  }
  const taskDefinitions = entries.filter((e) => e.uses === "task-definition");
  const containers = taskDefinitions.every((e) => e.loaded !== undefined) ? taskDefinitions.flatMap((e) => (e.loaded as LoadedTaskDefinitionStep).input.containers.map((c) => c.name)) : undefined;
  const loaded = taskDefinitions.flatMap((e) => (e.loaded === undefined ? [] : [{ loaded: e.loaded as LoadedTaskDefinitionStep, ...(e.environments && { environments: e.environments }) }]));
  return { steps, containers, taskDefinitions: loaded, problems, files };
}
