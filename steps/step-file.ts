import { existsSync } from "node:fs";
import { InputError, type Problem } from "../src/errors.js";
import { schemaErrorsFor } from "../src/config/schemas.js";
import { schemaProblems } from "../src/config/schema-problems.js";
import { readSource, type SourceDocument } from "../src/config/source.js";

/**
 * Reading a step's input file (YAML or JSON) and checking it against a schema in schemas/steps/, with the
 * same positioned problems as the project files. Shared by the steps; each adds its own cross-checks.
 */
export function readStepFile(file: string, what: string): SourceDocument {
  if (!existsSync(file)) throw new InputError(`${file} does not exist.`, `Check the path of the ${what}.`);
  try {
    return readSource(file);
  } catch (error) {
    throw new InputError(`${file} cannot be read: ${(error as Error).message}`, "Check that it is a file you are allowed to read.");
  }
}

/** Syntax, emptiness and schema problems of one document checked against a schema $id (with an optional #fragment). */
export function checkAgainstSchema(doc: SourceDocument, schemaId: string, emptyHint: string): Problem[] {
  if (doc.problems.length > 0) return doc.problems;
  if (doc.value === undefined) return [{ file: doc.file, path: "/", line: 1, column: 1, message: "The file is empty.", hint: emptyHint }];
  return schemaProblems(doc, schemaErrorsFor(schemaId, doc.value));
}

/** Throws every problem at once, ordered by file (as listed) then position. */
export function failWith(problems: Problem[], files: string[]): never {
  const order = new Map(files.map((f, i) => [f, i]));
  const sorted = [...problems].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  throw new InputError(`${count} in ${files.join(" and ")}.`, `Fix ${problems.length === 1 ? "it" : "them"} and run the command again.`, sorted);
}

export function problemAt(doc: SourceDocument, path: string, message: string, hint: string, part: "key" | "value" = "value"): Problem {
  return { file: doc.file, path: path === "" ? "/" : path, ...doc.positionOf(path, part), message, hint };
}
