import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";
import { openApiDocument } from "../../feed/openapi.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object, which is also the plugin.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Method = "get" | "post" | "put" | "delete";

interface OpenApi {
  paths: Record<string, Partial<Record<Method, { responses: Record<string, { $ref?: string }> }>>>;
}

const escape = (segment: string) => encodeURIComponent(segment.replaceAll("~", "~0").replaceAll("/", "~1"));

/**
 * Checks bodies against what an OpenAPI document says `method path` answers with `status` (following the
 * document's response refs), so a document and the server it describes cannot drift apart unnoticed.
 */
export function openApiChecker(document: unknown, name: string): (method: Method, path: string, status: number, body: unknown) => void {
  const doc = document as OpenApi;
  // The whole document is added as one schema so its component $refs resolve; strict is off because
  // openapi, info and paths are not JSON Schema keywords.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(doc as object, name);
  const compiled = new Map<string, ValidateFunction>();
  return (method, path, status, body) => {
    const response = doc.paths[path]?.[method]?.responses[String(status)];
    expect(response, `the document describes ${method.toUpperCase()} ${path} → ${status}`).toBeDefined();
    const where = response?.$ref ?? `#/paths/${escape(path)}/${method}/responses/${status}`;
    const ref = `${name}${where}/content/${escape("application/json")}/schema`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    const valid = validate(body);
    expect(valid ? [] : validate.errors, `${method.toUpperCase()} ${path} → ${status}: body matches the document`).toEqual([]);
  };
}

const feedChecker = openApiChecker(openApiDocument(), "feed");

/** Checks a body against what feed/openapi.yaml says GET `path` answers with `status`. */
export function expectMatchesOpenApi(path: string, status: number, body: unknown): void {
  feedChecker("get", path, status, body);
}
