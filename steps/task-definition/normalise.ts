import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from "@aws-sdk/client-ecs";

/** A task definition as plain JSON, in one canonical form: what is compared, hashed and diffed. */
export type NormalisedDefinition = Record<string, unknown>;

/** What AWS fills in about a revision rather than its content: never part of a comparison. */
const revisionFacts = ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt", "tags"];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** AWS stores task-level sizes as plain numbers in strings: "1 vCPU" → "1024", "2 GB" → "2048", 512 → "512". */
export function taskSize(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  const unit = /^(\d+(?:\.\d+)?)\s*(vcpu|gb)$/i.exec(text);
  return unit ? String(Math.round(Number(unit[1]) * 1024)) : text;
}

function byName(a: unknown, b: unknown): number {
  const name = (x: unknown) => (isObject(x) && typeof x.name === "string" ? x.name : "");
  return name(a).localeCompare(name(b));
}

function portMapping(mapping: Json, networkMode: string): Json {
  const out: Json = { ...mapping, protocol: mapping.protocol ?? "tcp" };
  // Under awsvpc and host networking the host port is the container port; AWS writes it in when omitted.
  if ((networkMode === "awsvpc" || networkMode === "host") && out.hostPort === undefined) out.hostPort = out.containerPort;
  // Under bridge, 0 and absent both mean "a dynamic host port".
  if (networkMode === "bridge" && out.hostPort === 0) delete out.hostPort;
  return out;
}

const healthCheckDefaults: Json = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 };

function container(definition: Json, networkMode: string): Json {
  const out: Json = { ...definition };
  // Defaults AWS writes into what it returns: dropped when equal, so omitting them compares equal.
  if (out.essential === true) delete out.essential;
  if (out.cpu === 0) delete out.cpu;
  if (out.versionConsistency === "enabled") delete out.versionConsistency;
  if (Array.isArray(out.portMappings)) out.portMappings = out.portMappings.map((p: unknown) => (isObject(p) ? portMapping(p, networkMode) : p));
  if (Array.isArray(out.environment)) out.environment = [...out.environment].sort(byName);
  if (Array.isArray(out.secrets)) out.secrets = [...out.secrets].sort(byName);
  if (isObject(out.healthCheck)) {
    const check = { ...out.healthCheck };
    for (const [key, value] of Object.entries(healthCheckDefaults)) if (check[key] === value) delete check[key];
    out.healthCheck = check;
  }
  return out;
}

/** Drops what carries no meaning: absent values, empty lists and empty maps. Keys sorted so equal is identical. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    const item = prune(value[key]);
    if (item === undefined || item === null) continue;
    if (Array.isArray(item) && item.length === 0) continue;
    if (isObject(item) && Object.keys(item).length === 0) continue;
    out[key] = item;
  }
  return out;
}

/**
 * A task definition in canonical form, whether it is a RegisterTaskDefinition input about to be sent or what
 * DescribeTaskDefinition returned (from AWS or the simulator): revision facts and AWS's defaults removed,
 * environment and secrets sorted by name. An unchanged re-render compares equal to the revision it made.
 */
export function normalise(definition: RegisterTaskDefinitionCommandInput | TaskDefinition): NormalisedDefinition {
  const plain = JSON.parse(JSON.stringify(definition)) as Json;
  for (const key of revisionFacts) delete plain[key];
  const networkMode = typeof plain.networkMode === "string" ? plain.networkMode : "bridge";
  plain.networkMode = networkMode;
  if (plain.enableFaultInjection === false) delete plain.enableFaultInjection;
  const cpu = taskSize(plain.cpu);
  const memory = taskSize(plain.memory);
  if (cpu !== undefined) plain.cpu = cpu;
  if (memory !== undefined) plain.memory = memory;
  if (Array.isArray(plain.containerDefinitions)) plain.containerDefinitions = plain.containerDefinitions.map((c: unknown) => (isObject(c) ? container(c, networkMode) : c));
  return prune(plain) as NormalisedDefinition;
}

/** Canonical JSON text of a normalised definition: stable for hashing and readable for diffs. */
export function canonicalJson(definition: NormalisedDefinition): string {
  return JSON.stringify(definition, null, 2);
}
