import type { Backend } from "../support/backends.js";

/**
 * Makes two backends' answers comparable: the account id, generated ids and timestamps differ between any two
 * worlds (and between two runs against AWS), so they are replaced by placeholders; everything else must match.
 */
const generated: [RegExp, string][] = [
  // ELBv2 ARNs end in a generated 16-hex id: .../app/web/50dc6c495c0c9188, .../targetgroup/blue/73e2d6bc24d8a067
  [/(:(?:loadbalancer|targetgroup|listener|listener-rule)\/[^\s"]*?)\/[0-9a-f]{16}\b/g, "$1/<id>"],
  [/\/[0-9a-f]{16}\b/g, "/<id>"],
  [/ecs-svc\/\d+/g, "ecs-svc/<id>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<uuid>"],
];

function normaliseString(value: string, account: string): string {
  let out = value.split(account).join("<account>");
  for (const [pattern, replacement] of generated) out = out.replace(pattern, replacement);
  return out;
}

export function normalise(value: unknown, backend: Backend): unknown {
  if (value instanceof Date) return "<date>";
  if (typeof value === "string") return normaliseString(value, backend.account);
  if (Array.isArray(value)) return value.map((v) => normalise(v, backend));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // The SDK adds $metadata (request id, attempts) to every output: transport, not the answer. Keys are
      // normalised too, as observations may be keyed by ARN.
      if (k !== "$metadata" && v !== undefined) out[normaliseString(k, backend.account)] = normalise(v, backend);
    }
    return out;
  }
  return value;
}

/** Picks some fields of an object, so a comparison covers what the scenario is about and nothing else. */
export function pick<T extends object, K extends keyof T>(value: T | undefined, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  if (!value) return out;
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
