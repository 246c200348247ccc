import { definitionFields, type DefinitionField, type ServiceDefinition } from "./definition.js";

/** A member the step sets to something the service does not have. */
export interface DefinitionChange {
  field: DefinitionField;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The values a service not using the member is described with (NONE for tag propagation): writing them asks for nothing it lacks. */
export function isUnused(value: unknown): boolean {
  return value === undefined || value === null || value === false || value === "NONE" || (Array.isArray(value) && value.length === 0) || (isObject(value) && value.enabled === false && Object.keys(value).length === 1);
}

/** Lists whose order means something to ECS: placement strategies apply in order. */
const ordered = new Set(["placementStrategy"]);

/**
 * Whether the live value already is what the step asks: AWS answers with members it filled in (a weight of 0, a
 * discovery name), so only what the step writes is compared; lists match in any order but placement strategies,
 * which ECS applies in order. A Service Connect
 * namespace written by name matches the ARN ECS answers with (it resolves names to ARNs; slipway does not look
 * the namespace up), so write the ARN to have a change of namespace noticed.
 */
export function satisfies(desired: unknown, current: unknown, key = ""): boolean {
  if (isUnused(desired) && isUnused(current)) return true;
  if (key === "namespace" && typeof desired === "string" && typeof current === "string" && !desired.startsWith("arn:") && current.startsWith("arn:")) return true;
  // LATEST is resolved by ECS to a version (task sets answer with it): any version satisfies it.
  if (key === "platformVersion" && desired === "LATEST" && typeof current === "string") return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(current) || current.length !== desired.length) return false;
    if (ordered.has(key)) return desired.every((item, i) => satisfies(item, current[i], key));
    const left = [...current];
    return desired.every((item) => {
      const at = left.findIndex((c) => satisfies(item, c, key));
      if (at < 0) return false;
      left.splice(at, 1);
      return true;
    });
  }
  if (isObject(desired)) {
    if (!isObject(current)) return false;
    return Object.entries(desired).every(([k, v]) => v === undefined || satisfies(v, current[k], k));
  }
  return desired === current;
}

/** The members the step sets that differ from the service's, in a fixed order. Pure. */
export function definitionChanges(desired: ServiceDefinition, current: ServiceDefinition): DefinitionChange[] {
  return definitionFields.filter((field) => desired[field] !== undefined && !satisfies(desired[field], current[field], field)).map((field) => ({ field, from: current[field], to: desired[field] }));
}

/** A member's value as one line of a plan. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
