import { revisionLabel } from "../state.js";
import { StageFailure, type Driver } from "./driver.js";
import type { DeploymentFacts } from "./facts.js";
import { planDeleteAllBut, planEnsureSet, planMakePrimary, planWeights } from "./plan.js";
import type { Role } from "./roles.js";
import type { Stage } from "./stages.js";
import { ownSet, primaryOf, type World } from "./world.js";

/**
 * One stage, from wherever it stands: each part observes the world, plans what is missing, writes it and waits.
 * A stage run a second time (after a crash) finds its writes made and its waits met, and goes through quickly.
 */
async function converge(driver: Driver, at: string, plan: (world: World) => Parameters<Driver["execute"]>[1]): Promise<void> {
  await driver.execute(at, plan(await driver.observe()));
}

async function waitSteady(driver: Driver, facts: DeploymentFacts, role: Role): Promise<void> {
  const verdict = await driver.waitFor(
    `the ${role} task set becoming steady`,
    (world) => ownSet(world, facts.deploymentId, role)?.steady === true,
    (world) => (ownSet(world, facts.deploymentId, role) ? undefined : `the ${role} task set is gone`),
  );
  if (!verdict.reached) throw new StageFailure(verdict.reason);
}

/** Until only the primary is left: deleted sets drain first, and they count towards AWS's limit meanwhile. */
export async function waitDrained(driver: Driver): Promise<void> {
  const verdict = await driver.waitFor("the other task sets draining away", (world) => world.taskSets.length === 1 && primaryOf(world)?.steady === true);
  if (!verdict.reached) throw new StageFailure(verdict.reason);
}

/** Where traffic goes once a stage is done: the other group only ever gets a share while a steady set stands behind it. */
async function route(driver: Driver, facts: DeploymentFacts, at: string, percent: number): Promise<void> {
  if (percent > 0) await waitSteady(driver, facts, "canary");
  await converge(driver, at, (world) => planWeights(world, facts, at, percent));
}

export async function runStage(driver: Driver, facts: DeploymentFacts, stage: Stage, at: string): Promise<void> {
  const { live: liveGroup, other } = facts.targetGroups;
  switch (stage.kind) {
    case "initial-rollout":
      await converge(driver, at, (world) => planEnsureSet(world, facts, at, { role: "initial", targetGroup: liveGroup, taskDefinition: facts.newTaskDefinition, scale: 100 }));
      await waitSteady(driver, facts, "initial");
      await converge(driver, at, (world) => planMakePrimary(world, at, ownSet(world, facts.deploymentId, "initial"), "initial"));
      return;
    case "rollout":
      await converge(driver, at, (world) => planEnsureSet(world, facts, at, { role: "canary", targetGroup: other, taskDefinition: facts.newTaskDefinition, scale: stage.scale }));
      await waitSteady(driver, facts, "canary");
      return;
    case "traffic":
      await route(driver, facts, at, stage.percent);
      return;
    case "pause":
      await driver.pause(at, stage.seconds);
      return;
    case "approval": {
      const decision = await driver.approve(at, stage);
      if (!decision.approved) throw new StageFailure(decision.reason);
      return;
    }
    case "verify": {
      await waitSteady(driver, facts, "canary");
      const verdict = await driver.verify(at, stage);
      if (!verdict.passed) throw new StageFailure(verdict.reason);
      return;
    }
    case "primary-rollout":
      await converge(driver, at, (world) => planEnsureSet(world, facts, at, { role: "primary", targetGroup: liveGroup, taskDefinition: facts.newTaskDefinition, scale: 100 }));
      await waitSteady(driver, facts, "primary");
      await converge(driver, at, (world) => planMakePrimary(world, at, ownSet(world, facts.deploymentId, "primary"), "new primary"));
      return;
    case "clean": {
      if (facts.strategy === "canary") {
        // The old primary goes first, while the verification rule still holds testers on the canary: the live
        // group then holds only the new primary's targets (the old ones drain: no new requests, in-flight ones
        // finish), so closing the rule sends testers nowhere but the new revision.
        await converge(driver, at, (world) => planDeleteAllBut(world, at, [primaryOf(world)?.id, ownSet(world, facts.deploymentId, "canary")?.id], "replaced by the new revision"));
        await driver.closeVerification(at);
        // Traffic first, then capacity (STYLE lesson 8): nothing may still route to the canary when it goes.
        await converge(driver, at, (world) => planWeights(world, facts, at, 0));
      } else {
        await driver.closeVerification(at);
        await route(driver, facts, at, 100);
        await converge(driver, at, (world) => planMakePrimary(world, at, ownSet(world, facts.deploymentId, "canary"), "green"));
      }
      // The load balancer's nodes take new weights a while after the write: the set that lost its traffic stays until then.
      await driver.settle(at);
      await converge(driver, at, (world) => {
        const primary = primaryOf(world);
        // Only ever the new revision's primary survives a clean; anything else is deleted, never the primary itself.
        if (primary?.taskDefinition !== facts.newTaskDefinition) throw new StageFailure(`the primary task set runs ${revisionLabel(primary?.taskDefinition)}, not ${revisionLabel(facts.newTaskDefinition)}: cleaning would leave the wrong revision`);
        return planDeleteAllBut(world, at, [primary.id], "replaced by the new revision");
      });
      await waitDrained(driver);
      return;
    }
  }
}
