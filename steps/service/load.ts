import type { Problem } from "../../src/errors.js";
import { exampleEntry } from "../../src/config/example.js";
import { joinPointer } from "../../src/config/pointer.js";
import { isRecord } from "../../src/config/raw.js";
import type { SourceDocument } from "../../src/config/source.js";
import { nearest } from "../../src/config/suggest.js";
import { checkAgainstSchema, failWith, problemAt, readStepFile } from "../step-file.js";
import { definitionProblems } from "./definition-checks.js";
import { placementFor, runsOnFargate, type RawServiceStep } from "./input.js";
import { nativeProblems } from "./native/load-checks.js";
import { ownedFieldProblems } from "./owned-fields.js";
import { taskSetProblems } from "./task-sets/load-checks.js";

export const serviceSchemaId = "https://slipway.dev/schemas/v1/steps/service.schema.json";

export interface LoadedServiceStep {
  file: string;
  raw: RawServiceStep;
}

export interface LoadOptions {
  /** The project's environments: environments: keys are checked against them when given. */
  environments?: readonly string[];
}

/** Rules a schema cannot state: environment names, and settings that contradict each other. */
function crossProblems(doc: SourceDocument, raw: RawServiceStep, options: LoadOptions, schemaValid: boolean): Problem[] {
  const problems: Problem[] = [];
  if (options.environments && isRecord(raw.environments)) {
    for (const name of Object.keys(raw.environments)) {
      if (options.environments.includes(name)) continue;
      const guess = nearest(name, options.environments);
      const known = `The environments are: ${options.environments.join(", ")}.`;
      problems.push(problemAt(doc, joinPointer("/environments", name), `environments: has values for "${name}", which is not an environment of the project.`, guess ? `Did you mean "${guess}"? ${known}` : known, "key"));
    }
  }
  const withoutNetwork = (options.environments ?? [""]).filter((e) => {
    const own = isRecord(raw.environments?.[e]) ? (raw.environments?.[e] ?? {}) : {};
    return runsOnFargate(placementFor(raw, own)) && (own.network ?? raw.network) === undefined;
  });
  if (withoutNetwork.length > 0) {
    const where = withoutNetwork.some((e) => e !== "") ? ` (${withoutNetwork.join(", ")})` : "";
    problems.push(problemAt(doc, "", `A service on Fargate needs a network${where}: its tasks join the subnets and security groups given there.`, `Add ${exampleEntry(doc.syntax, "network", { subnets: ["subnet-0a1b2c3d"], securityGroups: ["sg-0c7d8e9f"] })}, or one under each environment.`));
  }
  problems.push(...taskSetProblems(doc, raw), ...stageEnvironmentProblems(doc, raw, options), ...(schemaValid ? [...definitionProblems(doc, raw, options.environments), ...nativeProblems(doc, raw, options.environments)] : []));
  if (raw.taskDefinition !== undefined && raw.package !== undefined) {
    problems.push(problemAt(doc, "/package", "The step names both taskDefinition and package: one revision to run, two places to take it from.", "Keep package: to choose a revision from the feed at release time, or taskDefinition: to name one here; remove the other.", "key"));
  }
  const breaker = raw.deployment?.circuitBreaker;
  if (breaker?.enable === false && breaker.rollback === true) {
    problems.push(problemAt(doc, "/deployment/circuitBreaker/rollback", "rollback: true needs the circuit breaker on: ECS rolls back only when the breaker trips.", "Set enable: true, or remove rollback.", "key"));
  }
  return problems;
}

/** A waiting stage limited to environments names environments of the project (the step's stages and each environment's). */
function stageEnvironmentProblems(doc: SourceDocument, raw: RawServiceStep, options: LoadOptions): Problem[] {
  const known = options.environments;
  if (!known) return [];
  const lists: [string, unknown][] = [["/stages", raw.stages], ...Object.entries(raw.environments ?? {}).map(([name, own]): [string, unknown] => [joinPointer("/environments", name, "stages"), own.stages])];
  return lists.flatMap(([at, stages]) => (Array.isArray(stages) ? limitProblems(doc, at, stages, known) : []));
}

function limitProblems(doc: SourceDocument, at: string, stages: unknown[], known: readonly string[]): Problem[] {
  return stages.flatMap((stage, index) => {
    const kind = isRecord(stage) && "pause" in stage ? "pause" : isRecord(stage) && "approval" in stage ? "approval" : undefined;
    const settings = kind === undefined ? undefined : (stage as Record<string, unknown>)[kind];
    const only = isRecord(settings) && Array.isArray(settings.environments) ? settings.environments : [];
    return only.flatMap((name, i) => {
      if (typeof name !== "string" || known.includes(name)) return [];
      const guess = nearest(name, known);
      return [problemAt(doc, joinPointer(at, String(index), kind ?? "", "environments", String(i)), `The ${kind ?? ""} stage is limited to "${name}", which is not an environment of the project.`, `${guess ? `Did you mean "${guess}"? ` : ""}The environments are: ${known.join(", ")}.`)];
    });
  });
}

/** Reads a service step file, checking it against its schema and the project. Throws one InputError with every problem. */
export function loadServiceStep(file: string, options: LoadOptions = {}): LoadedServiceStep {
  const doc = readStepFile(file, "step file");
  const checked = checkAgainstSchema(doc, serviceSchemaId, `Start it with ${exampleEntry(doc.syntax, "service", "shop-web")}; schemas/steps/service.schema.json has a complete example.`);
  if (doc.problems.length > 0 || !isRecord(doc.value)) failWith(checked, [file]);
  // A member slipway owns is explained (why, and what to write instead) rather than called an unknown key.
  const owned = ownedFieldProblems(doc, doc.value);
  const ownedPaths = new Set(owned.map((p) => p.path));
  const problems = [...owned, ...checked.filter((p) => !ownedPaths.has(p.path))];
  const schemaValid = problems.length === owned.length;
  const raw = doc.value as unknown as RawServiceStep;
  // A value the schema already rejected is reported once, by the schema.
  const taken = new Set(problems.map((p) => p.path));
  // The rules on ECS's members read every environment's settings: they need values of the right shapes.
  problems.push(...crossProblems(doc, raw, options, schemaValid).filter((p) => !taken.has(p.path)));
  if (problems.length > 0) failWith(problems, [file]);
  return { file, raw };
}
