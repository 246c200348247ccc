import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaErrors, type FileKind } from "../../src/config/schemas.js";

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
