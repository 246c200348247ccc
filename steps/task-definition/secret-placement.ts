import type { Problem } from "../../src/errors.js";
import { joinPointer } from "../../src/config/pointer.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";

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
const placeholders = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

interface Found {
  pointer: string;
  text: string;
}

function strings(value: unknown, pointer: string, out: Found[]): Found[] {
  if (typeof value === "string") out.push({ pointer, text: value });
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, joinPointer(pointer, i), out));
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) strings(item, joinPointer(pointer, key), out);
  return out;
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
  for (const { pointer, text } of strings(template, "", [])) {
    for (const [, name] of text.matchAll(placeholders)) {
      if (name === undefined || !secretVariables.has(name)) continue;
      if (secretFields.some((field) => field.test(pointer))) {
        if (text === `\${${name}}`) continue;
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
