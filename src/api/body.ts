import { InputError, type Problem } from "../errors.js";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

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

  string(field: string, options: { required: true; hint: string; max?: number }): string;
  string(field: string, options: { required?: false; hint: string; max?: number }): string | undefined;
  string(field: string, options: { required?: boolean; hint: string; max?: number }): string | undefined {
    const value = this.fields[field];
    if (value === undefined || value === null) {
      if (options.required) this.problem(`/${field}`, `"${field}" is required.`, options.hint);
      return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
      this.problem(`/${field}`, `"${field}" must be a non-empty string.`, options.hint);
      return undefined;
    }
    if (value.length > (options.max ?? 1000)) {
      this.problem(`/${field}`, `"${field}" is longer than ${options.max ?? 1000} characters.`, options.hint);
      return undefined;
    }
    return value;
  }

  strings(field: string, options: { hint: string }): string[] | undefined {
    const value = this.fields[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      this.problem(`/${field}`, `"${field}" must be an array of strings.`, options.hint);
      return undefined;
    }
    return value as string[];
  }

  /** Throws one InputError carrying every problem found, if any. */
  done(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length === 1 ? "1 problem" : `${this.problems.length} problems`;
    throw new InputError(`The request body has ${count}.`, this.problems.length === 1 ? (this.problems[0] as Problem).hint : "Fix them and send it again; each problem says how.", this.problems);
  }
}
