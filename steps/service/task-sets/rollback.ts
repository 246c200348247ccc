import { ConflictError } from "../../../src/errors.js";
import { revisionLabel } from "../state.js";
import { StageFailure, type Driver } from "./driver.js";
import type { DeploymentFacts } from "./facts.js";
import { planDeleteAllBut, planEnsureSet, planMakePrimary, planWeights, restoreSetOf } from "./plan.js";
import { waitDrained } from "./stage-runner.js";
import { primaryOf, type World } from "./world.js";

/**
 * A rollback returns to the revision that ran when this deployment started. That is only right while nobody
 * else has changed the service since: if its primary task set is neither that set nor one this deployment made,
 * another deployment has put its own revision there, and "rolling back" would replace a newer good revision with
 * an older one. Then nothing is touched and a person decides.
 */
export function refuseForeignPrimary(world: World, facts: DeploymentFacts): void {
  const primary = primaryOf(world);
  if (!primary || primary.id === facts.previous?.taskSetId || primary.owner?.deploymentId === facts.deploymentId) return;
  const by = primary.owner ? `made by deployment ${primary.owner.deploymentId}` : "not made by slipway";
  const was = facts.previous ? `${revisionLabel(facts.previous.taskDefinition)} (task set ${facts.previous.taskSetId})` : "no task set (it was the service's first deployment)";
  throw new ConflictError(
    `Deployment ${facts.deploymentId} will not roll ${facts.service} back: the service has changed since it started. It now runs ${revisionLabel(primary.taskDefinition)} (task set ${primary.id}, ${by}); when the deployment started it ran ${was}. Nothing was changed.`,
    `Check ${facts.service} runs what it should now. To return to ${facts.previous ? revisionLabel(facts.previous.taskDefinition) : "an earlier revision"}, deploy it: slipway service deploy <step> --task-definition <revision>.`,
  );
}

/**
 * Back to how the service was: one task set, primary, on the live target group, running the previous revision,
 * with all traffic on it and no verification rule left. Worked out from the world each time, so it serves every
 * stage — the quick path (the original set is still primary: traffic back, the rest deleted) and the full path
 * (after the primary rollout: the original set, or a new one of the previous revision, made primary again).
 */
export async function rollBack(driver: Driver, facts: DeploymentFacts): Promise<void> {
  const at = "rollback";
  // Before any write, even closing the verification rules: someone else's deployment now owns the service.
  refuseForeignPrimary(await driver.observe(), facts);
  // Testers' requests first: they must not keep reaching a stack that is going away.
  await driver.closeVerification(at);
  const previous = facts.previous;
  if (!previous) {
    // The first deployment of the service: there is nothing to return to, only what this deployment made to remove.
    await driver.settle(at);
    const world = await driver.observe();
    await driver.execute(at, planDeleteAllBut(world, at, [primaryOf(world)?.id], "rolled back"));
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
  // The sets that had traffic stay until the load balancer has taken the weights back.
  await driver.settle(at);
  world = await driver.observe();
  await driver.execute(at, planDeleteAllBut(world, at, [restoreSetOf(world, facts)?.id], "rolled back"));
  await waitDrained(driver);
}
