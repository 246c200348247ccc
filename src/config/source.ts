import { closeSync, fstatSync, openSync, readSync } from "node:fs";
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

/**
 * The largest configuration file slipway reads (project, targets, step file, template). YAML parsing slows down
 * much faster than files grow — the yaml package compares each key of a map with every key before it — and an
 * unbounded read of /dev/zero would fill memory. bench/config-size.ts measured `slipway validate` (Node's start-up
 * included) on files of 64 KiB under 2 s whatever their shape, the densest (one map of short keys) included;
 * 96 KiB of that shape took 2 s, and 1 MiB of ordinary variables 8 s. Real configuration files are a few KB.
 */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;

/**
 * Reads and parses a configuration file. One larger than MAX_CONFIG_FILE_BYTES is not parsed: it comes back as a
 * file with one problem, reported like a syntax error. Errors reading it (missing, a folder, no permission) throw.
 */
export function readSource(file: string): SourceDocument {
  const read = readAtMost(file, MAX_CONFIG_FILE_BYTES);
  return typeof read === "string" ? parseSource(file, read) : tooLarge(file, read);
}

/** How large a file found too large is: its size, or (exact: false) how far it was read. */
interface Oversize {
  size: number;
  exact: boolean;
}

/** The file's text, or how large it is once past `limit` bytes: never reads more than limit + 1 bytes of it. */
function readAtMost(file: string, limit: number): string | Oversize {
  const fd = openSync(file, "r");
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) return { size: stat.size, exact: true };
    // Devices, FIFOs and stdin have no size to ask (/dev/zero never ends), and a file may grow after fstat:
    // read in chunks, one byte past the limit at most, to tell "fits" from "too large".
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return { size: length, exact: false };
    return buffer.toString("utf8", 0, length);
  } finally {
    closeSync(fd);
  }
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

function tooLarge(file: string, { size, exact }: Oversize): SourceDocument {
  const limit = `${kib(MAX_CONFIG_FILE_BYTES)} (${MAX_CONFIG_FILE_BYTES} bytes)`;
  const message = exact
    ? `The file is ${kib(size)} (${size} bytes), more than the ${limit} slipway reads in a configuration file; it was not parsed.`
    : `The file goes on past the ${limit} slipway reads in a configuration file; reading stopped there and it was not parsed.`;
  const hint = "slipway configuration files are a few KB: check that this is the file you meant. If it is, split it: each step's settings go in a step file of their own, and a task definition step can keep its definition in a template: file.";
  return { file, syntax: syntaxOf(file), value: undefined, problems: [{ file, path: "/", message, hint }], positionOf: () => ({ line: 1, column: 1 }) };
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
