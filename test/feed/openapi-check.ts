import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";
import { openApiDocument } from "../../feed/openapi.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object, which is also the plugin.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface OpenApi {
  paths: Record<string, { get?: { responses: Record<string, { $ref?: string }> } }>;
}

const doc = openApiDocument() as OpenApi;
// The whole document is added as one schema so its component $refs resolve; strict is off because
// openapi, info and paths are not JSON Schema keywords.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(doc as object, "feed");
const compiled = new Map<string, ValidateFunction>();

const escape = (segment: string) => encodeURIComponent(segment.replaceAll("~", "~0").replaceAll("/", "~1"));

/**
 * Checks a body against what feed/openapi.yaml says GET `path` answers with `status` (following the
 * document's response refs), so the document and the feed cannot drift apart unnoticed.
 */
export function expectMatchesOpenApi(path: string, status: number, body: unknown): void {
  const response = doc.paths[path]?.get?.responses[String(status)];
  expect(response, `the document describes GET ${path} → ${status}`).toBeDefined();
  const where = response?.$ref ?? `#/paths/${escape(path)}/get/responses/${status}`;
  const ref = `feed${where}/content/${escape("application/json")}/schema`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `GET ${path} → ${status}: body matches the document`).toEqual([]);
}
