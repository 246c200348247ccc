import { executePlan } from "../../engine/executor.js";
import { succeededResult, type Journal } from "../../engine/journal.js";
import type { Action } from "../../engine/plan.js";

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
