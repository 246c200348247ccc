import type { Plan } from "../../../src/engine/plan.js";
import { revisionLabel } from "../state.js";
import type { TaskSetAction } from "./actions.js";
import { trafficBeyondCapacity } from "./capacity.js";
import { DryRunDriver } from "./dry-run-driver.js";
import { stepOf, type DeploymentFacts } from "./facts.js";
import { preflight, resumeScaleIn, stageLabel } from "./machine.js";
import { runStage } from "./stage-runner.js";
import type { Stage } from "./stages.js";
import type { World } from "./world.js";

const rollbackNotes = (facts: DeploymentFacts): string[] =>
  facts.previous
    ? [
        `on any failure (a set not steady in time, a failed probe, an abort): verification rules closed, traffic back to the live target group, then capacity`,
        `  before the primary switch: the other task sets deleted, ${revisionLabel(facts.previous.taskDefinition)} stays primary`,
        `  after it: ${revisionLabel(facts.previous.taskDefinition)}'s task set (made again if gone) made primary, then the rest deleted`,
      ]
    : ["first deployment: on failure the new task set is deleted; there is no earlier revision to return to"];

/**
 * The whole deployment as a plan, for people and for --dry-run: every stage's AWS writes, each planned against the
 * world the stages before it would leave (DryRunDriver), then what a failure would do. Makes no write.
 */
export async function outlinePlan(world: World, facts: DeploymentFacts, stages: Stage[], taskDefinitionDiff: string[], resuming: boolean, settleSeconds: number): Promise<Plan<TaskSetAction>> {
  const driver = new DryRunDriver(world, settleSeconds);
  const notes: string[] = trafficBeyondCapacity(stages, facts.desiredCount, (stage, index) => stageLabel(facts, stage, index));
  if (facts.countManagedBy !== undefined) notes.unshift(`desired count: ${facts.desiredCount} now, left to ${facts.countManagedBy}; task sets are sized from it as it changes`);
  try {
    driver.heading("preflight:");
    await preflight(driver, facts);
    for (const [index, stage] of stages.entries()) {
      driver.heading(`${stageLabel(facts, stage, index)}:`);
      await runStage(driver, facts, stage, stageLabel(facts, stage, index));
    }
    if (facts.suspendScaleIn) {
      driver.heading("end (success or rollback alike):");
      await driver.execute("end", resumeScaleIn(facts));
    }
  } catch (error) {
    notes.push(`the plan stops here: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (resuming) notes.push("resuming: the journal says which stages are done; only what the world still lacks is written");
  const head = `${facts.strategy} of ${facts.service}: ${revisionLabel(facts.previous?.taskDefinition)} → ${revisionLabel(facts.newTaskDefinition)}, ${facts.rules.length} rule(s) routing to it`;
  return { step: stepOf(facts.service), actions: driver.actions, diff: [head, ...driver.outline, ...rollbackNotes(facts), ...taskDefinitionDiff], notes };
}
