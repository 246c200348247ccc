import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { schemaErrors, type FileKind } from "../../src/config/schemas.js";

/** slipway does not check its schemas against the meta-schema as it runs (it costs every command time): this does. */
describe("every schema slipway ships", () => {
  const files = ["schemas", "schemas/steps"].flatMap((dir) => readdirSync(dir).filter((n) => n.endsWith(".schema.json")).map((n) => join(dir, n)));

  it.each(files)("%s is valid JSON Schema 2020-12", (file) => {
    const ajv = new Ajv2020({ strict: true });
    expect(ajv.validateSchema(JSON.parse(readFileSync(file, "utf8")) as object), JSON.stringify(ajv.errors)).toBe(true);
  });
});

/** The schemas are the user documentation: the complete examples they show must themselves be valid. */
describe.each([
  ["Project", "schemas/project.schema.json"],
  ["Targets", "schemas/targets.schema.json"],
] as const)("the %s schema", (kind: FileKind, file) => {
  const schema = JSON.parse(readFileSync(file, "utf8")) as { $id: string; title: string; description: string; examples: unknown[] };

  it("is documented", () => {
    expect(schema.$id).toMatch(/^https:\/\/slipway\.dev\/schemas\/v1\//);
    expect(schema.title).not.toBe("");
    expect(schema.description).not.toBe("");
  });

  it("accepts its own examples", () => {
    expect(schema.examples.length).toBeGreaterThan(0);
    for (const example of schema.examples) expect(schemaErrors(kind, example)).toEqual([]);
  });
});
