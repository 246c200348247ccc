import { AwsError } from "../aws-error.js";
import type { JsonServiceName } from "../module.js";

/** The X-Amz-Target prefixes of the JSON 1.1 services the simulator serves. */
export const jsonTargetPrefixes: Record<string, JsonServiceName> = {
  AmazonEC2ContainerServiceV20141113: "ecs",
  AmazonEC2ContainerRegistry_V20150921: "ecr",
  secretsmanager: "secretsmanager",
  AmazonSSM: "ssm",
  AnyScaleFrontendService: "application-autoscaling",
};

/** A JSON 1.1 request body: a JSON object, or nothing (an empty input). */
export function parseJsonInput(body: string): Record<string, unknown> {
  let input: unknown = {};
  if (body.trim() !== "") {
    try {
      input = JSON.parse(body);
    } catch {
      throw new AwsError("SerializationException", "Request body is not valid JSON");
    }
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new AwsError("SerializationException", "Request body must be a JSON object");
  }
  return input as Record<string, unknown>;
}

/** JSON 1.1 sends timestamps as epoch seconds; everything else passes through. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

export function jsonBody(output: unknown): string {
  return JSON.stringify(toWire(output ?? {}));
}

export function jsonErrorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
