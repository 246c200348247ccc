import type { Store } from "../engine/store.js";
import { revisionLabel } from "../../steps/service/state.js";
import type { DeploymentRunStatus } from "./deployment-run.js";

const unfinished: readonly DeploymentRunStatus[] = ["queued", "running", "interrupted"];

/** The revision a step's output (task definition or service step) names, if it names one. */
export function taskDefinitionArnOf(output: unknown): string | undefined {
  if (typeof output !== "object" || output === null) return undefined;
  const arn = (output as { taskDefinitionArn?: unknown }).taskDefinitionArn;
  return typeof arn === "string" && arn !== "" ? arn : undefined;
}

/**
 * The task definition revisions that releases still hold, each with why: in every environment, the release
 * deployed there now and the one before it (what a rollback returns to), and every deployment not yet finished.
 * Retention never deregisters these, whichever environment's retention it is.
 */
export async function revisionsReleasesHold(store: Store): Promise<Map<string, string>> {
  // Newest first: the first succeeded run of an environment is what runs there now.
  const runs = await store.runs.list({ limit: 1000 });
  const held = new Map<string, string>();
  const seen = new Map<string, string[]>();
  for (const run of runs) {
    let why: string | undefined;
    if (unfinished.includes(run.status)) {
      why = `deployment ${run.id}${run.release !== undefined ? ` of release ${run.release}` : ""} to ${run.environment} is ${run.status}`;
    } else if (run.status === "succeeded") {
      // A rollback to a revision no release is known for still names what runs there.
      const what = run.release ?? (run.kind === "rollback" ? revisionLabel(run.rollback.to.taskDefinition) : run.id);
      const releases = seen.get(run.environment) ?? [];
      if (releases.length < 2 && !releases.includes(what)) {
        releases.push(what);
        seen.set(run.environment, releases);
        const name = run.release !== undefined ? `release ${what}` : what;
        why = releases.length === 1 ? `${name} is deployed in ${run.environment}` : `${name} is what ${run.environment} rolls back to`;
      }
    }
    if (why === undefined) continue;
    const arns = [...Object.values(run.outputs).map(taskDefinitionArnOf), ...(run.kind === "rollback" ? [run.rollback.to.taskDefinition] : [])];
    for (const arn of arns) if (arn !== undefined && !held.has(arn)) held.set(arn, why);
  }
  return held;
}
