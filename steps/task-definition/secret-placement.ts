import type { Problem } from "../../src/errors.js";
import { joinPointer, pointerSegments } from "../../src/config/pointer.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";
import { substitute } from "./substitute.js";

/** Where a template was written (load.ts's TemplateSource): the document, and the pointer to the template in it. */
interface TemplateSource {
  doc: SourceDocument;
  pointer: string;
}

/**
 * Where a secret may be written in a task definition template: as the whole valueFrom of a container's `secrets`
 * entry or of its log configuration's `secretOptions`. ECS fetches those at task start with the execution role;
 * anything else (environment, command, entryPoint, labels, …) is stored in the task definition itself, where
 * anyone allowed to describe it reads the value.
 */
const secretFields = [/^\/containerDefinitions\/\d+\/secrets\/\d+\/valueFrom$/, /^\/containerDefinitions\/\d+\/logConfiguration\/secretOptions\/\d+\/valueFrom$/];

/** The value at a JSON pointer into the template (a placeholder's string). */
function valueAt(template: unknown, pointer: string): unknown {
  return pointerSegments(pointer).reduce<unknown>((value, segment) => (Array.isArray(value) ? value[Number(segment)] : isRecord(value) ? value[segment] : undefined), template);
}

function templateOf(source: TemplateSource): Record<string, unknown> {
  const value = source.pointer === "" ? source.doc.value : isRecord(source.doc.value) ? source.doc.value.definition : undefined;
  return isRecord(value) ? value : {};
}

/** "the container "web", field environment[1].value" from a pointer into the template. */
function fieldName(template: Record<string, unknown>, pointer: string): string {
  const match = /^\/containerDefinitions\/(\d+)(\/.*)?$/.exec(pointer);
  const path = (p: string) => p.slice(1).split("/").map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("").replace(/^\./, "");
  if (!match) return `the field ${path(pointer)}`;
  const containers = Array.isArray(template.containerDefinitions) ? template.containerDefinitions : [];
  const container = containers[Number(match[1])] as unknown;
  const name = isRecord(container) && typeof container.name === "string" ? `"${container.name}"` : `number ${Number(match[1]) + 1}`;
  return `the container ${name}, field ${path(match[2] ?? "")}`;
}

function at(source: TemplateSource, pointer: string, message: string, hint: string): Problem {
  const path = joinPointer(source.pointer) + pointer;
  return { file: source.doc.file, path: path === "" ? "/" : path, ...source.doc.positionOf(path), message, hint };
}

/** Every place a secret variable is written other than a whole secrets valueFrom, each with the fix. */
export function secretPlacementProblems(source: TemplateSource, secretVariables: ReadonlySet<string>): Problem[] {
  if (secretVariables.size === 0) return [];
  const template = templateOf(source);
  const problems: Problem[] = [];
  // Substituting nothing reports every placeholder with where it stands: the same scan, escapes and all, as rendering.
  for (const { name, pointer } of substitute(template, {}).missing) {
    if (!secretVariables.has(name)) continue;
    if (secretFields.some((field) => field.test(pointer))) {
      if (valueAt(template, pointer) === `\${${name}}`) continue;
      problems.push(at(source, pointer, `The secret variable \${${name}} is only part of a valueFrom in ${fieldName(template, pointer)}.`, `A secret's valueFrom is its whole reference: write valueFrom: "\${${name}}" alone.`));
      continue;
    }
    problems.push(
      at(
        source,
        pointer,
        `The secret variable \${${name}} is written into ${fieldName(template, pointer)}, a plain field: its value would be stored in the task definition, where anyone who may describe it can read it.`,
        `Pass it to the container as an ECS secret instead: under its secrets:, add { name: ${name}, valueFrom: "\${${name}}" }, and remove \${${name}} from here.`,
      ),
    );
  }
  return problems;
}

/** ECS fetches secrets with the task execution role: a template with secrets and no executionRoleArn cannot start a task. */
export function executionRoleProblems(source: TemplateSource): Problem[] {
  const template = templateOf(source);
  if (template.executionRoleArn !== undefined) return [];
  const containers = Array.isArray(template.containerDefinitions) ? template.containerDefinitions : [];
  const problems: Problem[] = [];
  containers.forEach((container: unknown, i) => {
    if (!isRecord(container)) return;
    const secrets = Array.isArray(container.secrets) && container.secrets.length > 0;
    const logSecrets = isRecord(container.logConfiguration) && Array.isArray(container.logConfiguration.secretOptions) && container.logConfiguration.secretOptions.length > 0;
    if (!secrets && !logSecrets) return;
    const pointer = secrets ? `/containerDefinitions/${i}/secrets` : `/containerDefinitions/${i}/logConfiguration/secretOptions`;
    problems.push(
      at(
        source,
        pointer,
        `${fieldName(template, pointer).replace(/^t/, "T")} holds secrets, which ECS fetches with the task execution role, but the task definition has no executionRoleArn.`,
        "Add executionRoleArn: arn:aws:iam::<account>:role/<execution role> beside containerDefinitions:, a role allowed secretsmanager:GetSecretValue (and ssm:GetParameters for SSM parameters) on the secrets the task reads.",
      ),
    );
  });
  return problems;
}
