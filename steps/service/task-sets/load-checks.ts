import type { Problem } from "../../../src/errors.js";
import { exampleEntry } from "../../../src/config/example.js";
import type { SourceDocument } from "../../../src/config/source.js";
import { problemAt } from "../../step-file.js";
import type { RawServiceStep } from "../input.js";
import { stageProblems } from "./stages.js";

/** The service step's rules for mode: canary and blue-green that a schema cannot state (called by load.ts). */
export function taskSetProblems(doc: SourceDocument, raw: RawServiceStep): Problem[] {
  const mode = raw.mode ?? "rolling";
  if (mode !== "canary" && mode !== "blue-green") {
    return raw.stages === undefined ? [] : [problemAt(doc, "/stages", "stages: only applies to mode: canary and mode: blue-green.", "Remove stages:, or set mode: canary (or blue-green).", "key")];
  }
  const problems: Problem[] = [];
  if (raw.loadBalancer === undefined) {
    problems.push(problemAt(doc, "", `mode: ${mode} moves traffic between the target's two target groups, so the step needs a loadBalancer.`, `Add ${exampleEntry(doc.syntax, "loadBalancer", { containerName: "web", containerPort: 8080 })}.`));
  }
  if (Array.isArray(raw.stages)) {
    for (const p of stageProblems(mode, raw.stages)) problems.push(problemAt(doc, p.index < 0 ? "/stages" : `/stages/${p.index}`, p.message, p.hint, p.index < 0 ? "key" : "value"));
  }
  return problems;
}
