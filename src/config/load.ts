import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError, type Problem } from "../errors.js";
import type { Target } from "../../targets/target.js";
import { lifecycleProblems, targetFieldProblems, type TargetMapSource } from "./cross-checks.js";
import { exampleEntry } from "./example.js";
import { checkProcess, type ProcessCheck } from "./load-process.js";
import { toLifecycle, toTargets, type Project } from "./model.js";
import type { ProjectProcess } from "./process-model.js";
import { isRecord, type RawProject, type RawTargetsFile } from "./raw.js";
import { schemaErrors, type FileKind } from "./schemas.js";
import { schemaProblems } from "./schema-problems.js";
import { readSource, type SourceDocument } from "./source.js";

export interface LoadedProject {
  project: Project;
  /** Every environment's target, keyed by environment name. */
  targets: ReadonlyMap<string, Target>;
}

/** A project with its deployment process: what loadDeployableProject returns. */
export interface DeployableProject extends LoadedProject {
  process: ProjectProcess;
}

/** A file checked on its own: its problems so far, and the document to check further or to build from. */
interface Checked {
  doc: SourceDocument;
  problems: Problem[];
}

function read(file: string): SourceDocument {
  if (!existsSync(file)) throw new InputError(`${file} does not exist.`, "Check the path. slipway reads ./slipway.yaml unless you name another file.");
  try {
    return readSource(file);
  } catch (error) {
    throw new InputError(`${file} cannot be read: ${(error as Error).message}`, "Check that it is a file you are allowed to read.");
  }
}

/** Syntax, emptiness and schema: everything one file can be checked for on its own. */
function check(doc: SourceDocument, kind: FileKind): Checked {
  if (doc.problems.length > 0) return { doc, problems: doc.problems };
  if (doc.value === undefined) {
    const start = `${exampleEntry(doc.syntax, "apiVersion", "slipway/v1")} and ${exampleEntry(doc.syntax, "kind", kind)}`;
    return { doc, problems: [{ file: doc.file, path: "/", line: 1, column: 1, message: "The file is empty.", hint: `Start it with ${start}; examples/ has a complete one.` }] };
  }
  return { doc, problems: schemaProblems(doc, schemaErrors(kind, doc.value)) };
}

/** "a", "a and b", "a, b and c". */
function listed(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1) ?? ""}`;
}

/** Throws every problem at once, ordered by file (as listed) then position; the message names the files at fault. */
function fail(problems: Problem[], files: string[]): never {
  const order = new Map(files.map((f, i) => [f, i]));
  const sorted = [...problems].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  // A project reads many step files: naming only those with problems keeps the message to the point.
  const faulty = files.filter((f) => problems.some((p) => p.file === f));
  throw new InputError(`${count} in ${listed(faulty.length > 0 ? faulty : files)}.`, `Fix ${problems.length === 1 ? "it" : "them"} and run slipway validate again.`, sorted);
}

interface ProjectCheck {
  problems: Problem[];
  files: string[];
  targetsFile?: string;
  targetsValue: unknown;
}

/** A project file and the targets it points at, each on its own and then against each other. */
function checkProject(doc: SourceDocument): ProjectCheck {
  const project = check(doc, "Project");
  const problems = [...project.problems];
  const value = isRecord(doc.value) ? doc.value : {};
  let targets: TargetMapSource = { doc, pointer: "/targets" };
  let targetsValue: unknown = value.targets;
  let targetsFile: string | undefined;
  if (typeof value.targets === "string" && /\.(ya?ml|json)$/.test(value.targets)) {
    targetsFile = join(dirname(doc.file), value.targets);
    if (!existsSync(targetsFile)) {
      problems.push({
        file: doc.file,
        path: "/targets",
        ...doc.positionOf("/targets"),
        message: `The targets file "${value.targets}" does not exist (looked for ${targetsFile}).`,
        hint: "Fix the path (it is relative to this file), create the file with kind: Targets, or write the targets inline here.",
      });
      targetsValue = undefined;
    } else {
      const checked = check(read(targetsFile), "Targets");
      problems.push(...checked.problems);
      targets = { doc: checked.doc, pointer: "/targets" };
      targetsValue = isRecord(checked.doc.value) ? checked.doc.value.targets : undefined;
    }
  }
  // A value the schema already rejected is reported once, by the schema: its cross-file consequences are noise.
  const taken = new Set(problems.map((p) => `${p.file}#${p.path}`));
  const crossProblems = [...targetFieldProblems(targets, targetsValue), ...lifecycleProblems(doc, value.environments, targets, targetsValue)];
  problems.push(...crossProblems.filter((p) => !taken.has(`${p.file}#${p.path}`)));
  return { problems, files: targetsFile ? [doc.file, targetsFile] : [doc.file], targetsValue, ...(targetsFile !== undefined && { targetsFile }) };
}

/** The environment names a project document lists, read leniently (it may have failed its schema). */
function environmentNames(value: unknown): string[] {
  const environments = isRecord(value) && Array.isArray(value.environments) ? (value.environments as unknown[]) : [];
  return environments.flatMap((e) => (isRecord(e) && typeof e.name === "string" ? [e.name] : []));
}

/** checkProject, then the process, channels, variables and every step file: all their problems together. */
function checkDeployable(doc: SourceDocument): ProjectCheck & { process: ProcessCheck; allFiles: string[] } {
  const checked = checkProject(doc);
  const processCheck = checkProcess(doc, environmentNames(doc.value));
  // As in checkProject: a value the schema rejected is reported once, by the schema.
  const taken = new Set(checked.problems.map((p) => `${p.file}#${p.path}`));
  const problems = [...checked.problems, ...processCheck.problems.filter((p) => !taken.has(`${p.file}#${p.path}`))];
  return { ...checked, problems, process: processCheck, allFiles: [...checked.files, ...processCheck.files] };
}

function toLoaded(doc: SourceDocument, checked: ProjectCheck): LoadedProject {
  const raw = doc.value as RawProject;
  return {
    project: { name: raw.name, file: doc.file, lifecycle: toLifecycle(raw.environments), ...(checked.targetsFile !== undefined && { targetsFile: checked.targetsFile }) },
    targets: toTargets(checked.targetsValue as RawTargetsFile["targets"]),
  };
}

/**
 * Reads a project file and its targets into typed objects, or throws an InputError carrying every problem.
 * Reads no step file: commands that only need the environments and targets stay fast.
 */
export function loadProject(file: string): LoadedProject {
  const doc = read(file);
  const checked = checkProject(doc);
  if (checked.problems.length > 0) fail(checked.problems, checked.files);
  return toLoaded(doc, checked);
}

/**
 * loadProject and the deployment process (steps, channels, variables) with every step file loaded and checked:
 * what creating a release starts from. Problems anywhere, in slipway.yaml, the targets or any step file, are
 * thrown together as one InputError.
 */
export function loadDeployableProject(file: string): DeployableProject {
  const doc = read(file);
  const checked = checkDeployable(doc);
  if (checked.problems.length > 0) fail(checked.problems, checked.allFiles);
  return { ...toLoaded(doc, checked), process: checked.process.process };
}

/**
 * Reads a project and returns one environment's target; an environment the project does not have is a
 * NotFoundError listing the ones it has. What every command that acts on one environment starts with.
 */
export function loadEnvironmentTarget(file: string, environment: string): LoadedProject & { target: Target } {
  const loaded = loadProject(file);
  loaded.project.lifecycle.get(environment);
  // loadProject guarantees every environment has a target.
  return { ...loaded, target: loaded.targets.get(environment) as Target };
}

/** Reads a targets file on its own (without a project to check its environments against). */
export function loadTargetsFile(file: string): Map<string, Target> {
  const doc = read(file);
  const checked = check(doc, "Targets");
  const problems = [...checked.problems];
  if (problems.length === 0) problems.push(...targetFieldProblems({ doc, pointer: "/targets" }, (doc.value as RawTargetsFile).targets));
  if (problems.length > 0) fail(problems, [file]);
  return toTargets((doc.value as RawTargetsFile).targets);
}

/**
 * Checks whichever kind of file this is (its `kind:` says), a project together with its targets file, its
 * process, channels and variables, and every step file. Returns the project and targets files found valid;
 * throws an InputError with every problem otherwise.
 */
/** What validateFile found: a project (with its targets file when separate) or a targets file. */
export function validatedKind(file: string): "Project" | "Targets" | undefined {
  const value = read(file).value;
  const kind = isRecord(value) ? value.kind : undefined;
  return kind === "Project" || kind === "Targets" ? kind : undefined;
}

export function validateFile(file: string): string[] {
  const doc = read(file);
  if (doc.problems.length > 0) fail(doc.problems, [file]);
  const kind = isRecord(doc.value) ? doc.value.kind : undefined;
  if (kind === "Targets") {
    loadTargetsFile(file);
    return [file];
  }
  if (kind === "Project") {
    const checked = checkDeployable(doc);
    if (checked.problems.length > 0) fail(checked.problems, checked.allFiles);
    return checked.files;
  }
  const path = kind === undefined ? "/" : "/kind";
  fail(
    [
      {
        file,
        path,
        ...doc.positionOf(path),
        message: kind === undefined ? "The file does not say what it is: it has no kind." : `Unknown kind ${JSON.stringify(kind)}.`,
        hint: `Use ${exampleEntry(doc.syntax, "kind", "Project")} for a project file or ${exampleEntry(doc.syntax, "kind", "Targets")} for a targets file.`,
      },
    ],
    [file],
  );
}
