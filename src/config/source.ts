import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";
import type { Problem } from "../errors.js";
import { parseProblems } from "./parse-problems.js";
import { pointerSegments } from "./pointer.js";

/** YAML or JSON, told apart by the file's extension; it decides how hints write an example. */
export type Syntax = "yaml" | "json";

export interface Position {
  line: number;
  column: number;
}

/** A configuration file as read: its plain value, any syntax problems, and where each value sits in the text. */
export interface SourceDocument {
  file: string;
  syntax: Syntax;
  /** The file's content as plain data; undefined when the file is empty. */
  value: unknown;
  /** Syntax errors, already positioned. A file with any is not schema-checked. */
  problems: Problem[];
  /** Where the value (or, with "key", the key) at a JSON pointer starts; the nearest existing parent when absent. */
  positionOf(pointer: string, part?: "key" | "value"): Position;
}

export function syntaxOf(file: string): Syntax {
  return extname(file).toLowerCase() === ".json" ? "json" : "yaml";
}

export function readSource(file: string): SourceDocument {
  return parseSource(file, readFileSync(file, "utf8"));
}

/** One parser for both syntaxes: JSON is YAML, so the same document model gives positions for either. */
export function parseSource(file: string, text: string): SourceDocument {
  const syntax = syntaxOf(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const positionAt = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems = parseProblems(file, syntax, text, doc, positionAt);
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 }) ?? undefined;
    } catch (error) {
      // toJS refuses documents whose aliases expand without bound ("billion laughs").
      problems.push({ file, path: "/", ...positionAt(0), message: `The file cannot be expanded: ${(error as Error).message}.`, hint: "Use fewer YAML aliases (*name), or write the values out." });
    }
  }
  return { file, syntax, value, problems, positionOf: (pointer, part = "value") => positionAt(offsetOf(doc, pointer, part)) };
}

function offsetOf(doc: Document, pointer: string, part: "key" | "value"): number {
  const segments = pointerSegments(pointer);
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const [i, segment] of segments.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
      if (!pair) break;
      if (i === segments.length - 1 && part === "key") return startOf(pair.key) ?? offset;
      node = pair.value;
      offset = startOf(pair.value) ?? startOf(pair.key) ?? offset;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) break;
      node = item;
      offset = startOf(item) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
