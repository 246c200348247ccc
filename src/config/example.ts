import { stringify } from "yaml";
import type { Syntax } from "./source.js";

/**
 * How a key and value are written in the user's own syntax, for hints: `region: us-east-1` in YAML,
 * `"region": "us-east-1"` in JSON. A list item (numeric key, or none) is written as the value alone.
 */
export function exampleEntry(syntax: Syntax, key: string | undefined, value: unknown): string {
  const listItem = key === undefined || /^\d+$/.test(key);
  if (syntax === "json") {
    const json = JSON.stringify(value);
    return listItem ? json : `${JSON.stringify(key)}: ${json}`;
  }
  const yaml = stringify(value, { collectionStyle: "flow" }).trim();
  return listItem ? `- ${yaml}` : `${key}: ${yaml}`;
}
