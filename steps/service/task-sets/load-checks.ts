import type { Problem } from "../../../src/errors.js";
import { exampleEntry } from "../../../src/config/example.js";
import { joinPointer } from "../../../src/config/pointer.js";
import type { SourceDocument } from "../../../src/config/source.js";
import { problemAt } from "../../step-file.js";
import type { ModeName, RawServiceStep } from "../input.js";
import { isNativeMode } from "../native/settings.js";
import { stageProblems, type RawStage } from "./stages.js";

const isTaskSetMode = (mode: ModeName): mode is "canary" | "blue-green" => mode === "canary" || mode === "blue-green";

/**
 * The service step's rules for mode: canary and blue-green that a schema cannot state (called by load.ts). The
 * mode and stages may differ per environment: each environment's stages are checked against its mode, where they
 * are written — its own, or the step's when it inherits them.
 */
export function taskSetProblems(doc: SourceDocument, raw: RawServiceStep): Problem[] {
  const topMode = raw.mode ?? "rolling";
  const scopes: { mode: ModeName; stages: RawStage[] | undefined; at: string }[] = [{ mode: topMode, stages: raw.stages, at: "/stages" }];
  for (const [name, own] of Object.entries(raw.environments ?? {})) {
    const mode = own.mode ?? topMode;
    if (own.stages !== undefined) scopes.push({ mode, stages: own.stages, at: joinPointer("/environments", name, "stages") });
    else scopes.push({ mode, stages: raw.stages, at: "/stages" });
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (problem: Problem) => {
    const key = `${problem.path} ${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  const taskSetModes = [...new Set(scopes.map((s) => s.mode).filter(isTaskSetMode))];
  // Each environment walking a task-set mode binds a load balancer: its own, or the step's.
  const unbound = isTaskSetMode(topMode) || Object.values(raw.environments ?? {}).some((own) => isTaskSetMode(own.mode ?? topMode) && own.loadBalancer === undefined);
  if (taskSetModes.length > 0 && raw.loadBalancer === undefined && unbound) {
    add(problemAt(doc, "", `mode: ${taskSetModes.join(" and ")} moves traffic between the target's two target groups, so the step needs a loadBalancer.`, `Add ${exampleEntry(doc.syntax, "loadBalancer", { containerName: "web", containerPort: 8080 })}.`));
  }
  for (const scope of scopes) {
    if (scope.stages === undefined) continue;
    if (!isTaskSetMode(scope.mode)) {
      // The step's own stages are wrong only when no environment walks them; they are refused once.
      if (scope.at === "/stages" && scopes.some((s) => s.at === "/stages" && isTaskSetMode(s.mode))) continue;
      if (problems.some((p) => p.path === scope.at)) continue;
      if (isNativeMode(scope.mode)) {
        const approvals = exampleEntry(doc.syntax, "approvals", [{ at: "POST_TEST_TRAFFIC_SHIFT" }]);
        add(problemAt(doc, scope.at, `stages: do not apply to mode: ${scope.mode}: ECS walks its deployment's lifecycle itself, and slipway waits at its stages.`, `Remove stages:. For a person's go-ahead write ${approvals} (a pause at an ECS lifecycle stage); for probes on the new revision before production traffic, verification: with a header or query and probes.`, "key"));
        continue;
      }
      add(problemAt(doc, scope.at, "stages: only applies to mode: canary and mode: blue-green.", "Remove stages:, or set mode: canary (or blue-green) where they apply.", "key"));
      continue;
    }
    if (!Array.isArray(scope.stages)) continue;
    for (const p of stageProblems(scope.mode, scope.stages)) add(problemAt(doc, p.index < 0 ? scope.at : `${scope.at}/${p.index}`, p.message, p.hint, p.index < 0 ? "key" : "value"));
  }
  return problems;
}
