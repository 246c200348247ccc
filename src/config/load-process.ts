import type { Problem } from "../errors.js";
import { failWith } from "../../steps/step-file.js";
import type { LoadedProject } from "./load.js";
import { checkChannels } from "./process-channels.js";
import type { ProjectProcess } from "./process-model.js";
import { checkSteps } from "./process-steps.js";
import { unresolvedPlaceholderProblems } from "./process-placeholders.js";
import { checkVariables } from "./process-variables.js";
import { readSource, type SourceDocument } from "./source.js";
import { secretVariableNames } from "../releases/secret-diff.js";
import { secretPlacementProblems } from "../../steps/task-definition/secret-placement.js";

export interface ProcessCheck {
  /** Complete only when there are no problems. */
  process: ProjectProcess;
  problems: Problem[];
  /** The files read besides the project file (step files and their templates), in process order. */
  files: string[];
}

/**
 * The process:, channels: and variables: of a project document, checked against each other, the project's
 * environments and every step file (through each step's own loader). Every problem is collected, none thrown,
 * so they can be reported together with the project file's own. Reads leniently: the document may have
 * failed its schema, whose problems the caller reports.
 */
export function checkProcess(doc: SourceDocument, environments: readonly string[]): ProcessCheck {
  const steps = checkSteps(doc, environments);
  const channels = checkChannels(doc, steps.containers);
  const variables = checkVariables(doc, environments);
  const secrets = new Set(secretVariableNames(variables.variables));
  const placement = steps.taskDefinitions.flatMap((step) => secretPlacementProblems(step.loaded.templateSource, secrets));
  // Only once the variables themselves are sound: a broken variables: block would make every placeholder "missing".
  const placeholders = variables.problems.length === 0 ? unresolvedPlaceholderProblems(steps.taskDefinitions, variables.variables, environments) : [];
  // Two steps may share a step file; its problems are reported once.
  const seen = new Set<string>();
  const problems = [...steps.problems, ...channels.problems, ...variables.problems, ...placement, ...placeholders].filter((p) => {
    const key = `${p.file}#${p.path}#${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { process: { steps: steps.steps, channels: channels.channels, variables: variables.variables }, problems, files: steps.files };
}

/**
 * The deployment process, channels and variables of a project loadProject already read. Reads every step file;
 * throws one InputError carrying every problem, across slipway.yaml and the step files, with file, path,
 * line:column and a hint. Step files come back as paths from the working directory.
 */
export function loadProjectProcess(projectFile: string, loaded: LoadedProject): ProjectProcess {
  const doc = readSource(projectFile);
  const checked = checkProcess(doc, loaded.project.lifecycle.names);
  if (checked.problems.length > 0) {
    const files = [projectFile, ...checked.files].filter((f) => checked.problems.some((p) => p.file === f));
    failWith(checked.problems, files);
  }
  return checked.process;
}
