import { InputError, type Problem } from "../errors.js";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Characters as JSON Schema's maxLength counts them: code points, so an emoji is one, not two. */
const lengthOf = (text: string): number => Array.from(text).length;

/**
 * Reads a JSON request body field by field, collecting every problem (a missing field, a wrong type, a field
 * nobody reads) so one 400 answer lists them all, as the CLI does for a project file.
 */
export class BodyReader {
  private readonly problems: Problem[] = [];
  private readonly fields: Record<string, unknown>;

  constructor(
    body: unknown,
    private readonly known: readonly string[],
  ) {
    // No body at all (or no Content-Type) reaches here as undefined: the same as {}.
    this.fields = isObject(body) ? body : {};
    if (body !== undefined && !isObject(body)) this.problem("", "The request body must be a JSON object.", `Send an object with ${known.join(", ")}.`);
    for (const field of Object.keys(this.fields)) {
      if (!known.includes(field)) this.problem(`/${field}`, `"${field}" is not a field of this request.`, `The fields are: ${known.join(", ")}.`);
    }
  }

  private problem(path: string, message: string, hint: string): void {
    this.problems.push({ file: "request body", path: path === "" ? "/" : path, message, hint });
  }

  string(field: string, options: { required: true; hint: string; max: number }): string;
  string(field: string, options: { required?: false; hint: string; max: number }): string | undefined;
  string(field: string, options: { required?: boolean; hint: string; max: number }): string | undefined {
    const value = this.fields[field];
    if (value === undefined) {
      if (options.required) this.problem(`/${field}`, `"${field}" is required.`, options.hint);
      return undefined;
    }
    // Exactly what the OpenAPI document says (a string, minLength 1, maxLength): no value it refuses is taken,
    // null included, and lengths count characters (code points) as JSON Schema does, not UTF-16 units.
    if (typeof value !== "string" || value === "") {
      this.problem(`/${field}`, `"${field}" must be a non-empty string.`, options.hint);
      return undefined;
    }
    if (lengthOf(value) > options.max) {
      this.problem(`/${field}`, `"${field}" is longer than ${options.max} characters.`, options.hint);
      return undefined;
    }
    return value;
  }

  /** true or false, nothing else ("true", 1 and null are refused as the document refuses them). */
  boolean(field: string, options: { hint: string }): boolean | undefined {
    const value = this.fields[field];
    if (value === undefined) return undefined;
    if (typeof value === "boolean") return value;
    this.problem(`/${field}`, `"${field}" must be true or false.`, options.hint);
    return undefined;
  }

  /** An array of distinct strings, each matching `pattern` when one is given. */
  strings(field: string, options: { hint: string; pattern?: RegExp }): string[] | undefined {
    const value = this.fields[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      this.problem(`/${field}`, `"${field}" must be an array of strings.`, options.hint);
      return undefined;
    }
    const items = value as string[];
    const bad = options.pattern === undefined ? -1 : items.findIndex((item) => !options.pattern?.test(item));
    if (bad >= 0) {
      this.problem(`/${field}/${bad}`, `"${(items[bad] as string).slice(0, 200)}" is not a value ${field} takes.`, options.hint);
      return undefined;
    }
    if (new Set(items).size !== items.length) {
      this.problem(`/${field}`, `"${field}" holds the same value twice.`, options.hint);
      return undefined;
    }
    return items;
  }

  /** Throws one InputError carrying every problem found, if any. */
  done(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length === 1 ? "1 problem" : `${this.problems.length} problems`;
    throw new InputError(`The request body has ${count}.`, this.problems.length === 1 ? (this.problems[0] as Problem).hint : "Fix them and send it again; each problem says how.", this.problems);
  }
}
