import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { Plan } from "../../src/engine/plan.js";
import type { ExecutionContext } from "../../src/engine/executor.js";
import type { TaskDefinitionPorts } from "../task-definition/ports.js";
import { executeTaskDefinitionPlan } from "../task-definition/execute.js";
import { normalise } from "../task-definition/normalise.js";
import { contentHash, contentTag, environmentTag, factsOf, releaseTag, type RevisionFacts } from "../task-definition/ownership.js";
import { planTaskDefinition, type CurrentRevision, type TaskDefinitionAction } from "../task-definition/plan.js";
import { readEnvironment } from "../task-definition/prepare.js";
import { referencesElsewhere, rolesIn, type Place } from "./package-places.js";
import { stepOutput, type PlannedTaskDefinition, type TaskDefinitionStepOutput } from "../task-definition/output.js";

/**
 * A service step's package in one environment: the release's definition, run as exactly that content. The
 * environment's own revision with that content is reused; else the very revision the release chose, when it is
 * here (same account and region), identical and no environment's; else the definition is registered here, tagged
 * as the environment's (ownership.ts), so the feed, retention and the next deployment see it as such.
 */

/** What the release keeps of a package and this needs: see SnapshotPackage (src/releases/release.ts). */
export interface PackageToRun {
  family: string;
  revision: number;
  definition: RegisterTaskDefinitionCommandInput;
  content: string;
}

export interface PackageRevisionContext {
  environment: string;
  /** Where the environment's target is: references to elsewhere are noted in the plan. */
  place: Place;
  release?: string;
  dryRun: boolean;
  execution: ExecutionContext;
}

export interface PackageRevisionRun {
  plan: Plan<TaskDefinitionAction>;
  /** The revision the service runs, as a task definition step hands it on (not in a dry run). */
  output?: TaskDefinitionStepOutput;
  /** A dry run's answer: what would be reused or registered. */
  planned?: PlannedTaskDefinition;
}

/** The chosen revision itself, when this account and region hold it ACTIVE, identical and owned by nobody. */
async function chosenRevisionHere(pkg: PackageToRun, ports: Pick<TaskDefinitionPorts, "reader">): Promise<CurrentRevision | undefined> {
  const described = await ports.reader.describe(`${pkg.family}:${pkg.revision}`);
  if (!described) return undefined;
  const facts: RevisionFacts = factsOf(described.taskDefinition, described.tags);
  if (facts.status !== "ACTIVE" || facts.environment !== undefined || facts.content !== pkg.content) return undefined;
  return { arn: facts.arn, revision: facts.revision, definition: facts.definition };
}

/** How many tags registration() adds to the definition's own: ECS takes at most 50 in all. */
export const packageTagCount = 3;

function registration(pkg: PackageToRun, ctx: PackageRevisionContext): RegisterTaskDefinitionCommandInput {
  const own = [
    ...(ctx.release !== undefined ? [{ key: releaseTag, value: ctx.release }] : []),
    { key: environmentTag, value: ctx.environment },
    { key: contentTag, value: pkg.content },
  ];
  return { ...pkg.definition, tags: [...(pkg.definition.tags ?? []), ...own] };
}

export async function runPackageRevision(chosen: PackageToRun, ports: Pick<TaskDefinitionPorts, "reader" | "index" | "writer">, ctx: PackageRevisionContext): Promise<PackageRevisionRun> {
  const { family } = chosen;
  // What runs here: the release's definition, its roles those of this account (the same content elsewhere).
  const local = rolesIn(chosen.definition, ctx.place.account);
  const pkg: PackageToRun = local.moved.length === 0 ? chosen : { ...chosen, definition: local.definition, content: contentHash(normalise(local.definition)) };
  const state = await readEnvironment(ports.reader, ports.index, family, ctx.environment, pkg.content, false);
  const identical = state.identical ?? (await chosenRevisionHere(pkg, ports));
  const input = registration(pkg, ctx);
  const plan = planTaskDefinition({
    step: `package:${family}`,
    family,
    environment: ctx.environment,
    desired: { input, definition: normalise(input), content: pkg.content },
    ...(state.current && { current: state.current }),
    ...(identical && { identical }),
    ownRevisions: state.ownRevisions,
  });
  if (identical && identical !== state.identical) plan.notes = [`revision ${identical.revision} reused: the revision the release chose, identical here and owned by no environment`];
  plan.notes.push(...local.moved, ...referencesElsewhere(pkg.definition, ctx.place));
  // The service's plan shows how the revision to run differs from the one running: that is the change that
  // matters. Against the environment's newest own revision (the task definition step's view) it would be noise.
  plan.diff = [];
  if (ctx.dryRun) return { plan, planned: { family, definition: input, ...(identical && { reuse: identical.arn }) } };
  const executed = await executeTaskDefinitionPlan(plan, ports.writer, ctx.execution);
  return { plan, output: stepOutput(family, [], executed, identical) };
}
