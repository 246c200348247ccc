import { Interrupted } from "../../../src/engine/interruption.js";
import { DeploymentFailedError } from "../../../src/errors.js";
import type { SuspendScaleInAction } from "./actions.js";
import { StageFailure, type Driver } from "./driver.js";
import type { DeploymentFacts } from "./facts.js";
import { planService, planStaleCleanup } from "./plan.js";
import { rollBack } from "./rollback.js";
import { runStage } from "./stage-runner.js";
import { stageName, toStage, type RawStage, type Stage } from "./stages.js";

/**
 * The stage machine. Where a deployment stands is read from its journal (which stages are marked done, whether a
 * rollback began) and from the world (what each unfinished stage still needs) — never from memory — so the same
 * code runs a deployment from the start, continues it after a crash, or finishes its rollback.
 */
export type MachineOutcome = { status: "SUCCESSFUL" } | { status: "ROLLBACK_SUCCESSFUL"; reason: string };

export const markers = { facts: "gather facts", preflight: "preflight: done", rollbackBegun: "rollback begun", rollbackDone: "rollback done", done: "deployment done" } as const;

/** The stages this deployment walks: the step's, or — for a service with no primary yet — the initial rollout. */
export function stagesFor(facts: DeploymentFacts, raw: RawStage[]): Stage[] {
  if (!facts.previous) return [{ kind: "initial-rollout" }, { kind: "traffic", percent: 0 }];
  return raw.map(toStage);
}

export const stageLabel = (facts: DeploymentFacts, stage: Stage, index: number) => `stage ${index + 1} ${stageName(stage, facts.strategy)}`;

/**
 * Before the first stage: the service exists with the step's desired count; task sets an earlier, abandoned
 * deployment left are removed (traffic first) and gone — AWS counts draining sets towards its limit of five, so a
 * deployment that cannot get below it stops here, before starting, and says why.
 */
export async function preflight(driver: Driver, facts: DeploymentFacts): Promise<void> {
  if ((await driver.marked(markers.preflight)).found) return;
  const at = "preflight";
  await driver.execute(at, planService(await driver.observe(), facts));
  await driver.execute(at, suspendScaleIn(facts));
  const world = await driver.observe();
  const cleanup = planStaleCleanup(world, facts);
  // Traffic back first; the stale sets go once the load balancer has had time to take the weights.
  await driver.execute(at, cleanup.filter((a) => a.kind === "set-weights"));
  const deletions = cleanup.filter((a) => a.kind !== "set-weights");
  if (deletions.length > 0) await driver.settle(at);
  await driver.execute(at, deletions);
  await driver.sweepVerification(at);
  if (world.taskSets.length > 1) {
    const verdict = await driver.waitFor("task sets left by earlier deployments draining away", (w) => w.taskSets.length <= 1);
    if (!verdict.reached) {
      throw new DeploymentFailedError(
        `The deployment of ${facts.service} stopped before starting: ${verdict.reason}. A canary needs up to four task sets at once and AWS allows five per service, draining ones included.`,
        `Nothing of this deployment was started. Wait for ECS to finish draining (aws ecs describe-services shows them), then run \`slipway resume ${facts.deploymentId}\`.`,
      );
    }
  }
  await driver.mark(markers.preflight, "preflight done");
}

/** Suspends dynamic scale-in for the deployment (autoscaling.suspendScaleIn); none when it does not. Journalled once. */
function suspendScaleIn(facts: DeploymentFacts): SuspendScaleInAction[] {
  return facts.suspendScaleIn ? [{ kind: "suspend-scale-in", key: "suspend scale-in", summary: `suspend Application Auto Scaling's scale-in of ${facts.service} until the deployment ends`, params: { suspended: true } }] : [];
}

/** Resumes the scale-in the deployment suspended, at its end — success or rollback alike; none when it did not. */
export function resumeScaleIn(facts: DeploymentFacts): SuspendScaleInAction[] {
  return facts.suspendScaleIn ? [{ kind: "suspend-scale-in", key: "resume scale-in", summary: `resume Application Auto Scaling's scale-in of ${facts.service}`, params: { suspended: false } }] : [];
}

/** The rollback, begun (marked) already; resumable: a run that finds it done returns at once. */
export async function finishRollback(driver: Driver, facts: DeploymentFacts, reason: string): Promise<MachineOutcome> {
  if (!(await driver.marked(markers.rollbackDone)).found) {
    try {
      await rollBack(driver, facts);
    } catch (error) {
      if (error instanceof Interrupted) error.where ??= "rollback";
      if (!(error instanceof StageFailure)) throw error;
      throw new DeploymentFailedError(
        `Rolling back ${facts.service} did not finish (ROLLBACK_FAILED): ${error.message}. It was rolling back because ${reason}.`,
        `Traffic is on the live target group. Look at the previous revision's tasks, then run \`slipway resume ${facts.deploymentId}\` to finish the rollback.`,
      );
    }
    await driver.execute("rollback", resumeScaleIn(facts));
    await driver.mark(markers.rollbackDone, "rolled back");
  }
  return { status: "ROLLBACK_SUCCESSFUL", reason };
}

export async function walk(driver: Driver, facts: DeploymentFacts, stages: Stage[]): Promise<MachineOutcome> {
  const begun = await driver.marked(markers.rollbackBegun);
  if (begun.found) return finishRollback(driver, facts, (begun.result as { reason?: string } | undefined)?.reason ?? "an earlier run failed");
  if ((await driver.marked(markers.done)).found) return { status: "SUCCESSFUL" };
  for (const [index, stage] of stages.entries()) {
    const at = stageLabel(facts, stage, index);
    if ((await driver.marked(`${at}: done`)).found) continue;
    driver.note(at);
    try {
      await runStage(driver, facts, stage, at);
    } catch (error) {
      // Stopped by a person, not failed: no rollback; a resumed run picks the stage up where it stands.
      if (error instanceof Interrupted) {
        error.where ??= at;
        throw error;
      }
      const reason = `${at} failed: ${error instanceof Error ? error.message : String(error)}`;
      driver.note(`${reason}; rolling back`);
      // Recorded before any rollback write: a run killed from here on resumes the rollback, not the stages.
      await driver.mark(markers.rollbackBegun, `roll back: ${reason}`, { reason });
      return finishRollback(driver, facts, reason);
    }
    await driver.mark(`${at}: done`, at);
  }
  await driver.execute("end", resumeScaleIn(facts));
  await driver.mark(markers.done, "deployment done");
  return { status: "SUCCESSFUL" };
}
