import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import semver from "semver";
import type { Problem } from "../../src/errors.js";
import { exampleEntry } from "../../src/config/example.js";
import { joinPointer } from "../../src/config/pointer.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";
import { nearest } from "../../src/config/suggest.js";
import { checkAgainstSchema, failWith, problemAt, readStepFile } from "../step-file.js";
import { executionRoleProblems } from "./secret-placement.js";
import type { SecretSource } from "./secret-sources.js";
import type { ImageRule, RawImageRule, RawTaskDefinitionStep, TaskDefinitionStepInput, TemplateContainer } from "./input.js";

export const taskDefinitionSchemaId = "https://slipway.dev/schemas/v1/steps/task-definition.schema.json";
const definitionSchemaId = `${taskDefinitionSchemaId}#/$defs/definition`;

/** Where the template was written, so a problem found later (an undefined variable) can point into it. */
export interface TemplateSource {
  doc: SourceDocument;
  /** JSON pointer to the template's root in doc: "/definition" inline, "" for a template file. */
  pointer: string;
}

export interface LoadedTaskDefinitionStep {
  file: string;
  input: TaskDefinitionStepInput;
  templateSource: TemplateSource;
  /** The deployment's secret variables (a release's, for this environment); none when run from a step file alone. */
  secrets?: readonly SecretSource[];
}

export interface LoadOptions {
  /** The project's environments: variables: keys are checked against them when given. */
  environments?: readonly string[];
}

const selectors = ["tag", "range", "digest"] as const;

/** Exactly one of tag/range/digest, and the options that only make sense with one of them. */
function imageRuleProblems(doc: SourceDocument, container: string, rule: RawImageRule): Problem[] {
  const at = (...s: string[]) => joinPointer("/images", container, ...s);
  const given = selectors.filter((k) => rule[k] !== undefined);
  const problems: Problem[] = [];
  if (given.length === 0) {
    problems.push(problemAt(doc, at(), `The image of "${container}" has no version rule: it needs one of tag, range or digest.`, `Add one, for example: ${exampleEntry(doc.syntax, "range", "^1.4")}`));
  } else if (given.length > 1) {
    problems.push(problemAt(doc, at(given[1] as string), `The image of "${container}" gives ${given.join(" and ")}; only one of tag, range or digest may choose the version.`, `Keep one of them and remove ${given.slice(1).join(" and ")}.`, "key"));
  }
  if (rule.prerelease !== undefined && rule.range === undefined) problems.push(problemAt(doc, at("prerelease"), "prerelease only applies to a range.", "Remove prerelease, or choose the version with range:.", "key"));
  if (rule.allowMovingTag !== undefined && rule.tag === undefined) problems.push(problemAt(doc, at("allowMovingTag"), "allowMovingTag only applies to a tag.", "Remove allowMovingTag, or choose the version with tag:.", "key"));
  if (typeof rule.range === "string" && semver.validRange(rule.range) === null) {
    problems.push(problemAt(doc, at("range"), `"${rule.range}" is not a semver range.`, `Write a range such as "^1.4", "~1.4.2" or ">=1.4.0 <2.0.0".`));
  }
  return problems;
}

function toRule(rule: RawImageRule): ImageRule {
  if (rule.tag !== undefined) return { kind: "tag", tag: rule.tag, allowMovingTag: rule.allowMovingTag ?? false };
  if (rule.range !== undefined) return { kind: "range", range: rule.range, prerelease: rule.prerelease ?? false };
  return { kind: "digest", digest: rule.digest ?? "" };
}

/** The template: inline, or read and schema-checked from its own file. */
function templateOf(doc: SourceDocument, raw: Record<string, unknown>, problems: Problem[], files: string[]): TemplateSource | undefined {
  const hasDefinition = raw.definition !== undefined;
  if (hasDefinition && raw.template !== undefined) {
    problems.push(problemAt(doc, "/template", "Both definition: and template: are given; the template must come from one place.", "Keep definition: (inline) or template: (a file), not both.", "key"));
    return undefined;
  }
  if (hasDefinition) return { doc, pointer: "/definition" };
  if (typeof raw.template !== "string") {
    if (raw.template === undefined) problems.push(problemAt(doc, "", "The step has no task definition template.", `Add ${exampleEntry(doc.syntax, "template", "./web.taskdef.yaml")}, or write it inline under definition:.`));
    return undefined;
  }
  const templateFile = join(dirname(doc.file), raw.template);
  if (!existsSync(templateFile)) {
    problems.push(problemAt(doc, "/template", `The template file "${raw.template}" does not exist (looked for ${templateFile}).`, "Fix the path (it is relative to this file), or write the template inline under definition:."));
    return undefined;
  }
  const templateDoc = readStepFile(templateFile, "template");
  files.push(templateFile);
  problems.push(...checkAgainstSchema(templateDoc, definitionSchemaId, "Write a task definition in it, starting with containerDefinitions:."));
  return { doc: templateDoc, pointer: "" };
}

function containersOf(source: TemplateSource): { containers: TemplateContainer[]; problems: Problem[] } {
  const template = source.pointer === "" ? source.doc.value : isRecord(source.doc.value) ? source.doc.value.definition : undefined;
  const list = isRecord(template) && Array.isArray(template.containerDefinitions) ? (template.containerDefinitions as unknown[]) : [];
  const containers: TemplateContainer[] = [];
  const problems: Problem[] = [];
  list.forEach((c, i) => {
    if (!isRecord(c) || typeof c.name !== "string" || typeof c.image !== "string") return;
    if (containers.some((known) => known.name === c.name)) {
      problems.push(problemAt(source.doc, joinPointer(source.pointer, "containerDefinitions", i, "name"), `The container name "${c.name}" is used twice.`, "Give each container its own name."));
    }
    containers.push({ name: c.name, repository: c.image });
  });
  return { containers, problems };
}

/** Rules between images:, the template's containers and the project's environments, which a schema cannot state. */
function crossProblems(doc: SourceDocument, raw: RawTaskDefinitionStep, containers: TemplateContainer[], options: LoadOptions): Problem[] {
  const problems: Problem[] = [];
  const images = isRecord(raw.images) ? raw.images : {};
  const names = containers.map((c) => c.name);
  for (const container of names) {
    if (!(container in images)) {
      problems.push(problemAt(doc, "/images", `The container "${container}" has no entry under images:, so its version cannot be chosen.`, `Add ${exampleEntry(doc.syntax, container, { range: "^1.0" })} under images:.`, "key"));
    }
  }
  for (const [container, rule] of Object.entries(images)) {
    if (!names.includes(container)) {
      const guess = nearest(container, names);
      problems.push(problemAt(doc, joinPointer("/images", container), `images: names "${container}", which is not a container of the template.`, guess ? `Did you mean "${guess}"? The containers are: ${names.join(", ")}.` : `The containers are: ${names.join(", ") || "none"}.`, "key"));
    }
    if (isRecord(rule)) problems.push(...imageRuleProblems(doc, container, rule as RawImageRule));
  }
  if (options.environments && isRecord(raw.variables)) {
    for (const scope of Object.keys(raw.variables)) {
      if (scope === "default" || options.environments.includes(scope)) continue;
      const guess = nearest(scope, options.environments);
      const known = `The environments are: ${options.environments.join(", ")} (and default: for every environment).`;
      problems.push(problemAt(doc, joinPointer("/variables", scope), `variables: has values for "${scope}", which is not an environment of the project.`, guess ? `Did you mean "${guess}"? ${known}` : known, "key"));
    }
  }
  return problems;
}

/**
 * Reads a task definition step file (and its template file), checking both against the schema and each other.
 * Throws one InputError carrying every problem with file, line:column and path.
 */
export function loadTaskDefinitionStep(file: string, options: LoadOptions = {}): LoadedTaskDefinitionStep {
  const doc = readStepFile(file, "step file");
  const files = [file];
  const problems = checkAgainstSchema(doc, taskDefinitionSchemaId, `Start it with ${exampleEntry(doc.syntax, "family", "shop-web")}; schemas/steps/task-definition.schema.json has a complete example.`);
  if (doc.problems.length > 0 || !isRecord(doc.value)) failWith(problems, files);
  const raw = doc.value as unknown as RawTaskDefinitionStep;
  const source = templateOf(doc, doc.value, problems, files);
  const { containers, problems: containerProblems } = source ? containersOf(source) : { containers: [], problems: [] };
  // A value the schema already rejected is reported once, by the schema.
  const taken = new Set(problems.map((p) => `${p.file}#${p.path}`));
  const cross = [...containerProblems, ...crossProblems(doc, raw, containers, options), ...(source ? executionRoleProblems(source) : [])];
  problems.push(...cross.filter((p) => !taken.has(`${p.file}#${p.path}`)));
  if (problems.length > 0 || !source) failWith(problems, files);
  const template = (source.pointer === "" ? source.doc.value : raw.definition) as Record<string, unknown>;
  return {
    file,
    templateSource: source,
    input: {
      family: raw.family,
      template,
      containers,
      images: Object.fromEntries(Object.entries(raw.images).map(([name, rule]) => [name, toRule(rule)])),
      variables: raw.variables ?? {},
      ...(raw.retention && { retention: raw.retention }),
    },
  };
}
