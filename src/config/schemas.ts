import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { packageRoot } from "./package-root.js";

/** The kinds of file a user writes, each checked by the schema of the same name in schemas/. */
export type FileKind = "Project" | "Targets";

const schemaIds: Record<FileKind, string> = {
  Project: "https://slipway.dev/schemas/v1/project.schema.json",
  Targets: "https://slipway.dev/schemas/v1/targets.schema.json",
};

// ajv-formats is CommonJS; under NodeNext its default import is the module object, which is also the plugin.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

let validators: Map<FileKind, ValidateFunction> | undefined;
let ajvInstance: Ajv2020 | undefined;

/**
 * One Ajv instance and each schema compiled once, on first use. Every *.schema.json in schemas/ is added,
 * so a schema refers to another by its file name ($ref: "targets.schema.json#/$defs/targetMap") and later
 * features add a file rather than touching this one. verbose keeps each error's schema, which is where the
 * translation into plain words finds titles and examples.
 */
function compiled(): Map<FileKind, ValidateFunction> {
  if (validators) return validators;
  // validateSchema: false — the schemas ship with slipway and test/config/schemas.test.ts checks each against the
  // JSON Schema meta-schema; checking them again on every command cost ~70 ms of CPU (npm run bench:cli).
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, validateSchema: false });
  addFormats(ajv);
  const dir = join(packageRoot(), "schemas");
  // Step input schemas live in schemas/steps/, one per step; they join the same instance so refs work across.
  for (const folder of [dir, join(dir, "steps")]) {
    const names = existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith(".schema.json")).sort() : [];
    for (const name of names) ajv.addSchema(JSON.parse(readFileSync(join(folder, name), "utf8")) as object);
  }
  ajvInstance = ajv;
  validators = new Map(
    (Object.keys(schemaIds) as FileKind[]).map((kind) => {
      const validate = ajv.getSchema(schemaIds[kind]);
      if (!validate) throw new Error(`schemas/ has no schema with $id ${schemaIds[kind]}`);
      return [kind, validate];
    }),
  );
  return validators;
}

/** The schema errors for a file's content; empty when it is valid. */
export function schemaErrors(kind: FileKind, value: unknown): ErrorObject[] {
  const validate = compiled().get(kind);
  if (!validate) throw new Error(`no schema for kind ${kind}`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/**
 * The schema errors for a value checked against any schema in schemas/ by its $id, optionally with a
 * "#/$defs/…" fragment: how a step's inputs (schemas/steps/) are checked. Empty when it is valid.
 */
export function schemaErrorsFor(schemaId: string, value: unknown): ErrorObject[] {
  compiled();
  const validate = ajvInstance?.getSchema(schemaId);
  if (!validate) throw new Error(`schemas/ has no schema ${schemaId}`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
