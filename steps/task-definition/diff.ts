import { createTwoFilesPatch } from "diff";
import { canonicalJson, type NormalisedDefinition } from "./normalise.js";

export interface DiffSide {
  /** What the side is, for the header: "shop-web:3 (ACTIVE)" or "shop-web (desired)". */
  label: string;
  definition?: NormalisedDefinition;
}

/**
 * A unified diff of two normalised definitions, one line per element; empty when they are equal.
 * A missing side (no revision yet) diffs as an empty file, so the whole definition shows as added.
 */
export function diffDefinitions(current: DiffSide, desired: DiffSide): string[] {
  const before = current.definition ? `${canonicalJson(current.definition)}\n` : "";
  const after = desired.definition ? `${canonicalJson(desired.definition)}\n` : "";
  if (before === after) return [];
  const patch = createTwoFilesPatch(current.label, desired.label, before, after, undefined, undefined, { context: 3 });
  // createTwoFilesPatch starts with a "=====" rule line; the diff proper starts at "---".
  const lines = patch.split("\n").filter((l) => l !== "");
  const start = lines.findIndex((l) => l.startsWith("--- "));
  return lines.slice(Math.max(start, 0)).filter((l) => !l.startsWith("\\ No newline"));
}
