import type { ModelShape, OperationModel, ServiceModel } from "../aws-model.js";

/**
 * Holds one value against a shape of AWS's published model (botocore's service-2.json): structure members and
 * required ones, unions, types, enums, string lengths and patterns, number ranges, list and map sizes, timestamp
 * formats. Each problem names the path and the rule ("services[].deployments[].rolloutState: "DONE" is not one of
 * COMPLETED|FAILED|IN_PROGRESS"), with list indexes left out so the same fault in every element is one problem.
 *
 * `wire` is how the value travelled. JSON 1.1 carries JSON types (timestamps as epoch seconds); the query
 * protocol carries text, so its values are checked as the text a client reads: "80" is an integer there.
 */
export type Wire = "json" | "query";
/** A request is held to every constraint; an answer to those AWS's own answers keep (see answerLeniency). */
export type Direction = "request" | "answer";

/**
 * Where AWS's model and AWS's answers part, each with where AWS shows it. The checker accepts these and nothing
 * else; the list is short on purpose, and every entry is a fact about AWS, not about the simulator.
 */
export interface ModelGaps {
  /** Shape → values AWS answers with that the shape's enum lacks. */
  enumValues: Record<string, { values: string[]; why: string }>;
}

export const modelGaps: ModelGaps = {
  enumValues: {
    ServiceDeploymentLifecycleStage: {
      values: ["PRE_PRODUCTION_TRAFFIC_SHIFT"],
      why: "ServiceDeployment.lifecycleStage's own documentation lists PRE_PRODUCTION_TRAFFIC_SHIFT (before each production step of a linear or canary deployment), which the enum lacks",
    },
  },
};

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export class ShapeChecker {
  private readonly patterns = new Map<string, RegExp | null>();
  /** Patterns JavaScript cannot compile, so values of their shapes go unchecked against them. */
  readonly uncheckablePatterns = new Set<string>();

  constructor(readonly model: ServiceModel) {}

  private direction: Direction = "request";

  problems(shapeName: string, value: unknown, wire: Wire, direction: Direction): string[] {
    const out: string[] = [];
    this.direction = direction;
    this.check(shapeName, value, "", wire, out);
    return out;
  }

  private check(shapeName: string, value: unknown, path: string, wire: Wire, out: string[]): void {
    const shape = this.model.shapes[shapeName];
    const at = path || "(the whole value)";
    if (!shape) {
      out.push(`${at}: the model has no shape ${shapeName}`);
      return;
    }
    if (value === null) {
      out.push(`${at}: null, where AWS leaves a member out`);
      return;
    }
    switch (shape.type) {
      case "structure":
        return this.structure(shapeName, shape, value, path, wire, out);
      case "list":
        return this.list(shape, value, path, wire, out);
      case "map":
        return this.map(shape, value, path, wire, out);
      default:
        return this.scalar(shapeName, shape, value, at, wire, out);
    }
  }

  private structure(shapeName: string, shape: ModelShape, value: unknown, path: string, wire: Wire, out: string[]): void {
    const at = path || "(the whole value)";
    if (shape.document) return;
    if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date) {
      out.push(`${at}: ${describe(value)}, where the model has a structure (${shapeName})`);
      return;
    }
    const members = shape.members ?? {};
    const present = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && !(wire === "query" && v === null));
    for (const [name, member] of present) {
      // Own members only: a request's "constructor" or "__proto__" is no member of any shape.
      const spec = Object.hasOwn(members, name) ? members[name] : undefined;
      if (!spec) out.push(`${join(path, name)}: not a member of ${shapeName}`);
      else this.check(spec.shape, member, join(path, name), wire, out);
    }
    const names = new Set(present.map(([name]) => name));
    for (const name of shape.required ?? []) if (!names.has(name)) out.push(`${join(path, name)}: required by ${shapeName}, missing`);
    if (shape.union && names.size !== 1) out.push(`${at}: ${shapeName} is a union, which sets exactly one member; ${names.size} set`);
  }

  private list(shape: ModelShape, value: unknown, path: string, wire: Wire, out: string[]): void {
    const at = path || "(the whole value)";
    // The query protocol sends an empty list as the bare parameter ("Tags=").
    if (wire === "query" && value === "") return;
    if (!Array.isArray(value)) {
      out.push(`${at}: ${describe(value)}, where the model has a list`);
      return;
    }
    // AWS's answers carry empty lists where the list's shape says at least one: its documented GetParameterHistory
    // answer has "Labels": [] (ParameterLabelList, minimum 1). An empty list in an answer is AWS's way to say none.
    if (!(this.direction === "answer" && value.length === 0)) this.size(value.length, shape, at, "items", out);
    for (const item of value) this.check(shape.member?.shape ?? "", item, `${path}[]`, wire, out);
  }

  private map(shape: ModelShape, value: unknown, path: string, wire: Wire, out: string[]): void {
    const at = path || "(the whole value)";
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      out.push(`${at}: ${describe(value)}, where the model has a map`);
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    this.size(entries.length, shape, at, "entries", out);
    for (const [key, entry] of entries) {
      if (shape.key) this.check(shape.key.shape, key, `${path}{key}`, wire === "query" ? "query" : "json", out);
      this.check(shape.value?.shape ?? "", entry, `${path}{}`, wire, out);
    }
  }

  private scalar(shapeName: string, shape: ModelShape, value: unknown, at: string, wire: Wire, out: string[]): void {
    const text = wire === "query" ? queryText(value) : undefined;
    if (wire === "query" && text === undefined) {
      out.push(`${at}: ${describe(value)}, where the model has a ${shape.type} (${shapeName})`);
      return;
    }
    switch (shape.type) {
      case "string": {
        const s = text ?? value;
        if (typeof s !== "string") return void out.push(`${at}: ${describe(value)}, where the model has a string (${shapeName})`);
        if (shape.enum && !shape.enum.includes(s) && !(this.direction === "answer" && modelGaps.enumValues[shapeName]?.values.includes(s))) out.push(`${at}: ${JSON.stringify(s)} is not one of ${shape.enum.join("|")} (${shapeName})`);
        this.length(s, shape, at, shapeName, out);
        if (shape.pattern !== undefined) {
          const pattern = this.compile(shape.pattern);
          if (pattern && !pattern.test(s)) out.push(`${at}: ${JSON.stringify(s.slice(0, 80))} does not match ${shapeName}'s pattern ${shape.pattern}`);
        }
        return;
      }
      case "integer":
      case "long":
      case "double":
      case "float": {
        const integral = shape.type === "integer" || shape.type === "long";
        const n = text !== undefined ? (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : NaN) : value;
        if (typeof n !== "number" || !Number.isFinite(n) || (integral && !Number.isInteger(n))) {
          return void out.push(`${at}: ${describe(value)}, where the model has a${integral ? "n integer" : " number"} (${shapeName})`);
        }
        if (shape.min !== undefined && n < shape.min) out.push(`${at}: ${n} is below ${shapeName}'s minimum ${shape.min}`);
        if (shape.max !== undefined && n > shape.max) out.push(`${at}: ${n} is above ${shapeName}'s maximum ${shape.max}`);
        return;
      }
      case "boolean":
        if (text !== undefined ? text !== "true" && text !== "false" : typeof value !== "boolean") out.push(`${at}: ${describe(value)}, where the model has a boolean`);
        return;
      case "timestamp":
        // JSON 1.1 sends epoch seconds; the query protocol ISO 8601.
        if (text !== undefined ? !isoTimestamp.test(text) || Number.isNaN(Date.parse(text)) : typeof value !== "number" || !Number.isFinite(value)) {
          out.push(`${at}: ${describe(value)}, where the model has a timestamp (${wire === "json" ? "epoch seconds" : "ISO 8601"})`);
        }
        return;
      case "blob":
        if (typeof (text ?? value) !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(String(text ?? value))) out.push(`${at}: ${describe(value)}, where the model has base64 bytes`);
        return;
      default:
        out.push(`${at}: the checker does not know the model's type ${shape.type} (${shapeName})`);
    }
  }

  private length(s: string, shape: ModelShape, at: string, shapeName: string, out: string[]): void {
    // AWS counts characters, not UTF-16 units: only a string longer in units than the maximum needs counting.
    if (shape.min !== undefined && s.length < shape.min) out.push(`${at}: ${s.length} characters, below ${shapeName}'s minimum length ${shape.min}`);
    if (shape.max !== undefined && s.length > shape.max && [...s].length > shape.max) out.push(`${at}: ${[...s].length} characters, above ${shapeName}'s maximum length ${shape.max}`);
  }

  private size(count: number, shape: ModelShape, at: string, what: string, out: string[]): void {
    if (shape.min !== undefined && count < shape.min) out.push(`${at}: ${count} ${what}, below the model's minimum ${shape.min}`);
    if (shape.max !== undefined && count > shape.max) out.push(`${at}: ${count} ${what}, above the model's maximum ${shape.max}`);
  }

  /**
   * A value must match the pattern as a whole: AWS's API reference shows each one anchored (ECS's Tag key pattern,
   * ([\p{L}\p{Z}\p{N}_.:/=+\-@]*) in the model, reads ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$ there), and unanchored most
   * would hold for any value.
   */
  private compile(pattern: string): RegExp | null {
    let compiled = this.patterns.get(pattern);
    if (compiled !== undefined) return compiled;
    compiled = tryRegExp(`^(?:${pattern})$`, "u") ?? tryRegExp(`^(?:${pattern})$`, "");
    if (!compiled) this.uncheckablePatterns.add(pattern);
    this.patterns.set(pattern, compiled);
    return compiled;
  }
}

function tryRegExp(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

/** A scalar as the query protocol puts it in text: what toXml writes and what a form parameter holds. */
function queryText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a Date";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/**
 * The errors every operation of every AWS API may answer with besides its own, from AWS's "Common Errors" pages;
 * the query protocol's older APIs (ELBv2 among them) add their parameter errors and call throttling "Throttling".
 * JSON 1.1 services answer an unreadable body with SerializationException, and a request that breaks the model's
 * constraints with ValidationException ("the request fails with a ValidationException error", SSM's API reference).
 */
const commonErrors: Record<Wire, string[]> = {
  json: ["AccessDeniedException", "IncompleteSignature", "InternalFailure", "InvalidAction", "InvalidClientTokenId", "NotAuthorized", "OptInRequired", "RequestExpired", "ServiceUnavailable", "ThrottlingException", "ValidationError", "SerializationException", "ValidationException"],
  query: ["AccessDeniedException", "IncompleteSignature", "InternalFailure", "InvalidAction", "InvalidClientTokenId", "NotAuthorized", "OptInRequired", "RequestExpired", "ServiceUnavailable", "ThrottlingException", "Throttling", "ValidationError", "InvalidParameterCombination", "InvalidParameterValue", "InvalidQueryParameter", "MalformedQueryString", "MissingAction", "MissingAuthenticationToken", "MissingParameter"],
};

/** The error codes `operation` may answer with on the wire: its declared errors' codes and the common ones. */
export function errorCodes(model: ServiceModel, operation: OperationModel, wire: Wire): Set<string> {
  const declared = (operation.errors ?? []).map(({ shape }) => model.shapes[shape]?.error?.code ?? shape);
  return new Set([...declared, ...commonErrors[wire]]);
}
