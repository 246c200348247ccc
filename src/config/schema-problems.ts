import type { ErrorObject } from "ajv/dist/2020.js";
import type { Problem } from "../errors.js";
import { exampleEntry } from "./example.js";
import { displayPointer, joinPointer, pointerSegments } from "./pointer.js";
import type { SourceDocument } from "./source.js";
import { isRecord } from "./raw.js";
import { nearest } from "./suggest.js";

/** The parts of a JSON Schema the translation reads: its documentation is where hints come from. */
interface SchemaDoc {
  title?: string;
  description?: string;
  examples?: unknown[];
  properties?: Record<string, SchemaDoc>;
  required?: string[];
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** "Use a value from 0 to 100." from a schema's bounds: the fix for a number out of range, said whatever else is. */
function rangeOf(schema: SchemaDoc | undefined): string {
  if (!schema) return "";
  const low = schema.minimum !== undefined ? `from ${schema.minimum}` : schema.exclusiveMinimum !== undefined ? `above ${schema.exclusiveMinimum}` : "";
  const high = schema.maximum !== undefined ? `to ${schema.maximum}` : schema.exclusiveMaximum !== undefined ? `below ${schema.exclusiveMaximum}` : "";
  const whole = schema.type === "integer" ? "a whole number" : "a number";
  return low || high ? `Use ${whole} ${join(low, high)}${low && !high ? " up" : ""}.` : "";
}

interface Translation {
  /** Where the problem is: a JSON pointer, and whether the key or the value there is at fault. */
  path: string;
  part: "key" | "value";
  message: string;
  hint: string;
}

const typeWords: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "a map of keys and values",
  array: "a list",
  null: "empty",
};

function typeOf(data: unknown): string {
  if (data === null || data === undefined) return "empty";
  if (Array.isArray(data)) return "a list";
  if (typeof data === "object") return "a map of keys and values";
  if (typeof data === "string") return "text";
  if (typeof data === "boolean") return `${String(data)} (true or false)`;
  return Number.isInteger(data) ? "a whole number" : "a number";
}

function lastSegment(pointer: string): string | undefined {
  return pointerSegments(pointer).at(-1);
}

/** How a message names the place: "region", item 2 of "environments", or the file itself. */
function fieldName(pointer: string): string {
  const segments = pointerSegments(pointer);
  const key = segments.at(-1);
  if (key === undefined) return "the file";
  if (!/^\d+$/.test(key)) return `"${key}"`;
  const list = segments.at(-2);
  return `item ${Number(key) + 1} of ${list === undefined ? "the file" : `"${list}"`}`;
}

function firstSentence(text: string | undefined): string {
  return text ? (/^.*?[.!?](\s|$)/.exec(text)?.[0].trim() ?? text) : "";
}

function shown(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

/** "For example: region: us-east-1", from the schema's own examples; empty when it has none. */
function forExample(doc: Pick<SourceDocument, "syntax">, key: string | undefined, schema: SchemaDoc | undefined): string {
  const example = schema?.examples?.[0];
  return example === undefined ? "" : `For example: ${exampleEntry(doc.syntax, key, example)}`;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== "").join(" ");
}

function translate(doc: Pick<SourceDocument, "syntax">, e: ErrorObject): Translation {
  const schema = e.parentSchema as SchemaDoc | undefined;
  const key = lastSegment(e.instancePath);
  const field = fieldName(e.instancePath);
  const params = e.params as Record<string, unknown>;
  const at = { path: e.instancePath, part: "value" as const };
  switch (e.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      return {
        path: joinPointer(e.instancePath, missing),
        part: "value",
        message: key === undefined ? `Required key "${missing}" is missing.` : `Required key "${missing}" is missing from ${field}.`,
        hint: join(`Add ${missing}.`, firstSentence(schema?.properties?.[missing]?.description), forExample(doc, missing, schema?.properties?.[missing])),
      };
    }
    case "additionalProperties": {
      const unknown = String(params.additionalProperty);
      const known = Object.keys(schema?.properties ?? {});
      const guess = nearest(unknown, known);
      return {
        path: joinPointer(e.instancePath, unknown),
        part: "key",
        message: `Unknown key "${unknown}".`,
        hint: guess ? `Did you mean "${guess}"? The keys allowed here are: ${known.join(", ")}.` : `Remove it or fix its spelling; the keys allowed here are: ${known.join(", ")}.`,
      };
    }
    case "const":
      return { ...at, message: `${field} must be ${shown(params.allowedValue)}, not ${shown(e.data)}.`, hint: `Write ${exampleEntry(doc.syntax, key, params.allowedValue)}` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = nearest(String(e.data), allowed);
      return { ...at, message: `${shown(e.data)} is not one of the values allowed for ${field}: ${allowed.join(", ")}.`, hint: guess ? `Did you mean ${exampleEntry(doc.syntax, key, guess)}?` : `Use one of: ${allowed.join(", ")}.` };
    }
    case "pattern":
    case "format":
      return { ...at, message: `${shown(e.data)} is not a valid ${schema?.title ?? "value for " + field}.`, hint: join(firstSentence(schema?.description), forExample(doc, key, schema)) };
    case "type": {
      const expected = String(params.type).split(",").map((t) => typeWords[t] ?? t).join(" or ");
      const quoteIt = params.type === "string" && (typeof e.data === "number" || typeof e.data === "boolean");
      return {
        ...at,
        message: `${field} should be ${expected}, but it is ${typeOf(e.data)}.`,
        hint: quoteIt ? `Put the value in quotes so it stays text: ${exampleEntry(doc.syntax, key, String(e.data))}` : join(firstSentence(schema?.description), forExample(doc, key, schema)) || `Write ${expected} here.`,
      };
    }
    case "minItems":
    case "minProperties":
      return { ...at, message: `${field} is empty; it needs at least ${String(params.limit)} ${e.keyword === "minItems" ? "item" : "entry"}${params.limit === 1 ? "" : "s"}.`, hint: join(firstSentence(schema?.description), forExample(doc, key, schema)) };
    case "minLength":
      return { ...at, message: `${field} is too short: at least ${String(params.limit)} character${params.limit === 1 ? "" : "s"} are needed.`, hint: join(firstSentence(schema?.description), forExample(doc, key, schema)) || "Give it a value, or remove the key." };
    case "maxLength":
      return { ...at, message: `${field} is too long: at most ${String(params.limit)} characters are allowed.`, hint: join(firstSentence(schema?.description), forExample(doc, key, schema)) };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const bound = { minimum: "at least", maximum: "at most", exclusiveMinimum: "more than", exclusiveMaximum: "less than" }[e.keyword];
      return {
        ...at,
        message: `${field} is ${String(e.data)}, but must be ${bound} ${String(params.limit)}.`,
        hint: join(rangeOf(schema), firstSentence(schema?.description), forExample(doc, key, schema)),
      };
    }
    default:
      return { ...at, message: `${field} ${e.message ?? "is not valid"}.`, hint: join(firstSentence(schema?.description), forExample(doc, key, schema)) || "See the schema in slipway's schemas/ folder." };
  }
}

/** A map key that fails its schema (propertyNames), e.g. an environment name in capitals. */
function translateKey(doc: Pick<SourceDocument, "syntax">, e: ErrorObject, key: string): Translation {
  const schema = e.parentSchema as SchemaDoc | undefined;
  const example = schema?.examples?.[0];
  const written = example === undefined ? "" : `For example: ${doc.syntax === "json" ? JSON.stringify(String(example)) : String(example)}:`;
  return {
    path: joinPointer(e.instancePath, key),
    part: "key",
    message: `The key "${key}" is not a valid ${schema?.title ?? "name"}.`,
    hint: join(firstSentence(schema?.description), written) || "Rename the key.",
  };
}

/**
 * A value that must be one of several shapes (oneOf, anyOf) fails every shape, and ajv says why for each: ten
 * problems for one misspelt stage. Only the shape the value meant matters — the one whose required keys it has —
 * so the others' errors go. When it meant none (a misspelt name), the one problem is that name, with a guess.
 * What is left of `errors`, and the problems that replace a choice nobody meant.
 */
function withoutOtherChoices(doc: Pick<SourceDocument, "syntax">, errors: ErrorObject[]): { errors: ErrorObject[]; unmeant: Translation[] } {
  const dropped = new Set<ErrorObject>();
  const unmeant: Translation[] = [];
  for (const choice of errors) {
    if (choice.keyword !== "oneOf" && choice.keyword !== "anyOf") continue;
    // Several shapes matched at once (oneOf): nothing to narrow, the error says so itself.
    if ((choice.params as { passingSchemas?: unknown }).passingSchemas) continue;
    const branches = (Array.isArray(choice.schema) ? choice.schema : []) as SchemaDoc[];
    const branchErrors = branches.map((_, i) => errors.filter((e) => e.schemaPath.startsWith(`${choice.schemaPath}/${i}/`) && e.instancePath.startsWith(choice.instancePath)));
    const data: unknown = choice.data;
    const meant = isRecord(data) ? branches.flatMap((b, i) => ((b.required?.length ?? 0) > 0 && (b.required ?? []).every((k) => k in data) ? [i] : [])) : [];
    // Shapes told apart by type, say, rather than by their keys: the closest one (fewest errors) is what was meant.
    const byType = meant.length === 0 && !(isRecord(data) && branches.length > 0 && branches.every((b) => (b.required?.length ?? 0) > 0));
    const candidates = meant.length > 0 ? meant : byType ? branches.map((_, i) => i) : [];
    const kept = candidates.map((i) => branchErrors[i] ?? []).sort((a, b) => a.length - b.length)[0] ?? [];
    if (byType && kept.length === 0) continue;
    dropped.add(choice);
    branchErrors.forEach((list) => list.forEach((e) => kept.includes(e) || dropped.add(e)));
    if (meant.length > 0 || byType || !isRecord(data)) continue;
    // A map meaning none of the shapes: name what it holds instead (a key the map may have anyway is not that), and the nearest choice.
    const names = [...new Set(branches.flatMap((b) => b.required ?? []))];
    const parent = choice.parentSchema as SchemaDoc | undefined;
    const given = Object.keys(data).find((k) => !names.includes(k) && !Object.hasOwn(parent?.properties ?? {}, k));
    const field = fieldName(choice.instancePath);
    const guess = given === undefined ? undefined : nearest(given, names);
    const example = names.map((n) => [n, (parent?.examples ?? []).find((x): x is Record<string, unknown> => isRecord(x) && n in x)?.[n]] as const).find(([, v]) => v !== undefined);
    unmeant.push(
      given === undefined
        ? { path: choice.instancePath, part: "value", message: `${field} needs one of: ${names.join(", ")}.`, hint: join("Add one of them.", example ? `For example: ${exampleEntry(doc.syntax, example[0], example[1])}` : "") }
        : {
            path: joinPointer(choice.instancePath, given),
            part: "key",
            message: `"${given}" is not one of the keys ${field} may have: ${names.join(", ")}.`,
            hint: guess ? `Did you mean "${guess}"? Write ${exampleEntry(doc.syntax, guess, data[given])}` : `Use one of: ${names.join(", ")}.`,
          },
    );
  }
  return { errors: errors.filter((e) => !dropped.has(e)), unmeant };
}

/**
 * ajv's errors as problems a person can act on, one per place: "if" errors only say a branch failed (the
 * branch's own errors say how), and a value failing both its format and its pattern is one mistake.
 * A bad map key (propertyNames) is reported at the key, by the error of the key's own schema.
 */
export function schemaProblems(doc: SourceDocument, allErrors: ErrorObject[]): Problem[] {
  const { errors, unmeant } = withoutOtherChoices(doc, allErrors);
  const badKeys = errors.filter((e) => e.keyword === "propertyNames").map((e) => ({ at: e.instancePath, key: String((e.params as { propertyName: unknown }).propertyName) }));
  // A misspelt required key shows up twice, as missing and as unknown; the unknown key's "did you mean" says it all.
  const misspelt = new Set(
    errors
      .filter((e) => e.keyword === "additionalProperties")
      .map((e) => {
        const known = Object.keys((e.parentSchema as SchemaDoc | undefined)?.properties ?? {});
        return `${e.instancePath}/${nearest(String((e.params as { additionalProperty: unknown }).additionalProperty), known) ?? ""}`;
      }),
  );
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const add = (t: Translation) => {
    const place = `${t.path}#${t.part}`;
    if (seen.has(place)) return;
    seen.add(place);
    problems.push({ file: doc.file, path: displayPointer(t.path), ...doc.positionOf(t.path, t.part), message: t.message, hint: t.hint });
  };
  unmeant.forEach(add);
  for (const e of errors) {
    if (e.keyword === "if" || e.keyword === "propertyNames") continue;
    if (e.keyword === "required" && misspelt.has(`${e.instancePath}/${String((e.params as { missingProperty: unknown }).missingProperty)}`)) continue;
    const badKey = badKeys.find((k) => k.at === e.instancePath && k.key === e.data);
    add(badKey ? translateKey(doc, e, badKey.key) : translate(doc, e));
  }
  return problems;
}
