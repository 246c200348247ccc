import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * AWS's published model of an API, as botocore ships it (.venv/, pinned by scripts/ensure-python-tools.sh): the
 * member names, types, enums, lengths, ranges and patterns AWS itself validates against.
 */
export interface ModelShape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  /** A map's key shape. */
  key?: { shape: string };
  /** A structure of which exactly one member is set. */
  union?: boolean;
  /** A structure holding any JSON document. */
  document?: boolean;
  /** An error shape; the query protocol's wire code when it differs from the shape's name. */
  exception?: boolean;
  error?: { code?: string };
}

export interface ApiModel {
  shapes: Record<string, ModelShape>;
}

/** An operation as the model declares it: its input and output shapes and the errors it may answer with. */
export interface OperationModel {
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

/** A whole API: its protocol, operations and shapes. */
export interface ServiceModel extends ApiModel {
  metadata: { protocol: string; apiVersion: string };
  operations: Record<string, OperationModel>;
}

/** The botocore model of `service` (e.g. "ecs"), or undefined when .venv/ has no botocore. */
export function botocoreModel(service: string, version: string): ApiModel | undefined {
  const lib = join(".venv", "lib");
  if (!existsSync(lib)) return undefined;
  for (const python of readdirSync(lib)) {
    const file = join(lib, python, "site-packages", "botocore", "data", service, version, "service-2.json.gz");
    if (existsSync(file)) return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as ApiModel;
  }
  return undefined;
}

/** The APIs the simulator serves, by its service names, with the botocore model (name, version) of each. */
export const simulatedApis = {
  ecs: ["ecs", "2014-11-13"],
  ecr: ["ecr", "2015-09-21"],
  elbv2: ["elbv2", "2015-12-01"],
  secretsmanager: ["secretsmanager", "2017-10-17"],
  ssm: ["ssm", "2014-11-06"],
  "application-autoscaling": ["application-autoscaling", "2016-02-06"],
} as const;

type SchemaNode = Record<string, unknown>;

/** How one schema node departs from the model on purpose, said where the check is configured. */
export interface Departures {
  /** schema property → model member, where slipway's name differs ("circuitBreaker" → "deploymentCircuitBreaker"). */
  renames: Record<string, string>;
  /** "Shape.member" the schema leaves out (or refuses), with why. */
  leftOut: Record<string, string>;
  /** "Shape.member" the model requires and slipway fills in when the step leaves it out, with the default. */
  defaulted: Record<string, string>;
  /** "Shape.member" whose schema type differs from the model's (assignPublicIp: a boolean for ENABLED/DISABLED), with why. */
  translated: Record<string, string>;
}

/** Follows local $refs ("#/$defs/x", "#/properties/x") to the node they name. */
export function resolveRef(root: SchemaNode, node: SchemaNode): SchemaNode {
  let at = node;
  while (typeof at.$ref === "string") {
    const path = at.$ref.replace(/^#\//, "").split("/");
    at = path.reduce<SchemaNode>((n, key) => n[key] as SchemaNode, root);
  }
  return at;
}

const jsonType: Record<string, string> = { string: "string", integer: "integer", long: "integer", boolean: "boolean", double: "number", float: "number", list: "array", structure: "object", map: "object", timestamp: "string" };

/**
 * Every way `node` (a schema for values of model shape `shapeName`) disagrees with the model: a member the model
 * does not have, a model-required member not required, another type, an enum value AWS does not take, a range
 * or length wider than AWS's, a pattern other than AWS's. A schema may be narrower than the model, never wider.
 */
export function modelDisagreements(root: SchemaNode, model: ApiModel, node: SchemaNode, shapeName: string, at: string, departures: Departures): string[] {
  const schema = resolveRef(root, node);
  const shape = model.shapes[shapeName];
  if (!shape) return [`${at}: the model has no shape ${shapeName}`];
  const problems: string[] = [];
  const type = jsonType[shape.type];
  if (schema.type !== type) return [`${at}: schema type ${String(schema.type)}, model ${shape.type} (${shapeName})`];
  const narrower = (key: string, model: number | undefined, mine: unknown, lower: boolean) => {
    if (model === undefined) return;
    if (typeof mine !== "number") problems.push(`${at}: the model's ${lower ? "minimum" : "maximum"} ${model} (${key}) is not in the schema`);
    else if (lower ? mine < model : mine > model) problems.push(`${at}: ${key} ${mine} is wider than the model's ${model}`);
  };
  switch (shape.type) {
    case "structure": {
      const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
      const required = new Set((schema.required ?? []) as string[]);
      if (schema.additionalProperties !== false) problems.push(`${at}: additionalProperties is not false, so a misspelt member would pass`);
      const toSchema = Object.fromEntries(Object.entries(departures.renames).map(([mine, theirs]) => [theirs, mine]));
      for (const [name, child] of Object.entries(properties)) {
        const member = departures.renames[name] ?? name;
        const spec = shape.members?.[member];
        if (!spec) {
          problems.push(`${at}/${name}: not a member of ${shapeName}`);
          continue;
        }
        if (departures.translated[`${shapeName}.${member}`]) continue;
        problems.push(...modelDisagreements(root, model, child, spec.shape, `${at}/${name}`, departures));
      }
      for (const member of Object.keys(shape.members ?? {})) {
        const mine = toSchema[member] ?? member;
        const why = departures.leftOut[`${shapeName}.${member}`];
        if (!(mine in properties) && why === undefined) problems.push(`${at}: the model's ${shapeName}.${member} is neither in the schema nor left out with a reason`);
      }
      for (const member of shape.required ?? []) {
        const mine = toSchema[member] ?? member;
        if (mine in properties && !required.has(mine) && departures.defaulted[`${shapeName}.${member}`] === undefined) problems.push(`${at}/${mine}: required by the model, not by the schema`);
      }
      break;
    }
    case "list":
      narrower("minItems", shape.min, schema.minItems ?? (shape.min === 0 ? 0 : undefined), true);
      narrower("maxItems", shape.max, schema.maxItems, false);
      problems.push(...modelDisagreements(root, model, schema.items as SchemaNode, shape.member?.shape ?? "", `${at}/items`, departures));
      break;
    case "map":
      problems.push(...modelDisagreements(root, model, schema.additionalProperties as SchemaNode, shape.value?.shape ?? "", `${at}/*`, departures));
      break;
    case "string": {
      if (shape.enum) {
        const mine = (schema.enum ?? []) as string[];
        if (mine.length === 0) problems.push(`${at}: the model's enum ${shape.enum.join("|")} is not in the schema`);
        for (const value of mine) if (!shape.enum.includes(value)) problems.push(`${at}: ${value} is not one of the model's ${shape.enum.join("|")}`);
      }
      narrower("minLength", shape.min, schema.minLength, true);
      narrower("maxLength", shape.max, schema.maxLength, false);
      if (shape.pattern !== undefined && schema.pattern !== `^${shape.pattern}$`) problems.push(`${at}: pattern ${String(schema.pattern)} is not the model's ^${shape.pattern}$`);
      break;
    }
    case "integer":
    case "long":
      narrower("minimum", shape.min, schema.minimum, true);
      narrower("maximum", shape.max, schema.maximum, false);
      break;
  }
  return problems;
}
