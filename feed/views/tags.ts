import type { Tag } from "@aws-sdk/client-ecs";

/** slipway's own tags on a revision ("slipway:release" → release), which say which release registered it. */
export function slipwayTags(tags: readonly Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of tags) if (key?.startsWith("slipway:") && value !== undefined) out[key.slice("slipway:".length)] = value;
  return out;
}
