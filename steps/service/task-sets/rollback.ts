import { StageFailure, type Driver } from "./driver.js";
import type { DeploymentFacts } from "./facts.js";
import { planDeleteAllBut, planEnsureSet, planMakePrimary, planWeights, restoreSetOf } from "./plan.js";
import { waitDrained } from "./stage-runner.js";
import { primaryOf } from "./world.js";

/**
 * Back to how the service was: one task set, primary, on the live target group, running the previous revision,
 * with all traffic on it and no verification rule left. Worked out from the world each time, so it serves every
 * stage — the quick path (the original set is still primary: traffic back, the rest deleted) and the full path
 * (after the primary rollout: the original set, or a new one of the previous revision, made primary again).
 */
export async function rollBack(driver: Driver, facts: DeploymentFacts): Promise<void> {
  const at = "rollback";
  // Testers' requests first: they must not keep reaching a stack that is going away.
  await driver.closeVerification(at);
  const previous = facts.previous;
  if (!previous) {
    // The first deployment of the service: there is nothing to return to, only what this deployment made to remove.
    const world = await driver.observe();
    await driver.execute(at, planDeleteAllBut(world, at, primaryOf(world)?.id, "rolled back"));
    return;
  }
  let world = await driver.observe();
  const restore = restoreSetOf(world, facts);
  if (restore?.steady) {
    // Traffic first, then capacity (STYLE lesson 8): the known-good set is running, so users go back to it at once.
    await driver.execute(at, planWeights(world, facts, at, 0));
  }
  // The known-good set at full scale (created again if the original is gone), steady before anything depends on it.
  if (!restore) {
    await driver.execute(at, planEnsureSet(world, facts, at, { role: "restore", targetGroup: facts.targetGroups.live, taskDefinition: previous.taskDefinition, scale: 100 }));
  } else if (restore.scale !== 100) {
    await driver.execute(at, [{ kind: "scale-task-set", key: `${at}: scale ${restore.id} 100`, summary: "scale the previous revision's task set back to 100%", params: { taskSetId: restore.ref, percent: 100 } }]);
  }
  const verdict = await driver.waitFor("the previous revision's task set becoming steady", (w) => restoreSetOf(w, facts)?.steady === true);
  if (!verdict.reached) throw new StageFailure(verdict.reason);
  world = await driver.observe();
  await driver.execute(at, planWeights(world, facts, at, 0));
  await driver.execute(at, planMakePrimary(world, at, restoreSetOf(world, facts), "previous"));
  world = await driver.observe();
  await driver.execute(at, planDeleteAllBut(world, at, restoreSetOf(world, facts)?.id, "rolled back"));
  await waitDrained(driver);
}
