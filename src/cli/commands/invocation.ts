import { executePlan } from "../../engine/executor.js";
import { succeededResult, type Journal } from "../../engine/journal.js";
import type { Action } from "../../engine/plan.js";
import { InputError } from "../../errors.js";

/**
 * How a deployment was started, kept as the first entry of its journal, so `slipway resume <deployment>` can run
 * it again with nothing but its id: the step file, the environment, the project, and the flags that chose the
 * release and revision.
 */
export interface Invocation {
  stepFile: string;
  environment: string;
  project: string;
  release?: string;
  taskDefinition?: string;
}

const step = "invocation";
const key = "service deploy";

export async function recordInvocation(journal: Journal, deploymentId: string, invocation: Invocation): Promise<void> {
  const action: Action<"invocation", Invocation> = { kind: "invocation", key, summary: `slipway service deploy ${invocation.stepFile} --env ${invocation.environment}`, params: invocation };
  await executePlan({ step, actions: [action], diff: [], notes: [] }, () => Promise.resolve(invocation), { deploymentId, journal });
}

export async function readInvocation(journal: Journal, deploymentId: string): Promise<Invocation | undefined> {
  const found = succeededResult(await journal.entries(deploymentId), step, key);
  return found.found ? (found.result as Invocation) : undefined;
}

/** The flags that choose what a deployment deploys, as a person gives them. */
const chosenBy: { field: keyof Invocation; flag: string }[] = [
  { field: "stepFile", flag: "the step file" },
  { field: "environment", flag: "--env" },
  { field: "taskDefinition", flag: "--task-definition" },
  { field: "release", flag: "--release" },
];

const shown = (flag: string, value: string | undefined) => (value === undefined ? `no ${flag}` : `${flag} ${value}`);

/**
 * `--deployment <an earlier run's id>` continues that run, which deploys what it was started with (its journal's
 * facts win). Other flags would be silently ignored, so they are refused, naming what the run was started with.
 */
export async function refuseOtherInvocation(journal: Journal, deploymentId: string, given: Invocation): Promise<void> {
  const started = await readInvocation(journal, deploymentId);
  if (!started) return;
  const differ = chosenBy.filter(({ field }) => started[field] !== given[field]);
  if (differ.length === 0) return;
  throw new InputError(
    `Deployment ${deploymentId} was started with ${differ.map(({ field, flag }) => shown(flag, started[field])).join(" and ")}; this run asks for ${differ.map(({ field, flag }) => shown(flag, given[field])).join(" and ")}.`,
    `Use \`slipway resume ${deploymentId}\` to continue it, or start a new deployment without --deployment.`,
  );
}
