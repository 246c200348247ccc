import { DescribeServicesCommand, ListServiceDeploymentsCommand, DescribeServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/engine/store.js";
import { startDeployment, type DeployingProject } from "../../src/releases/deployments.js";
import { runCli } from "../cli/capture.js";
import { openDeploying, sampleShop } from "../support/deploying-world.js";
import { ProjectStores } from "../support/project-store.js";
import { releaseProject, webServiceStep, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { revisionShares, type Shop } from "../steps/service/task-sets/world.js";

/**
 * A release deployed with ECS's own canary through slipway's runs: `slipway abort` while ECS bakes the new revision
 * (no pause to answer: StopServiceDeployment ROLLBACK) ends rolled-back with every request on what ran before.
 */
const nativeCanary = [
  "deployment:",
  "  bakeTimeInMinutes: 1440",
  "  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 }",
  "verification:",
  "  header: { name: X-Slipway-Verify, values: [tester-7f3a] }",
];

describe("a release with mode: ecs-canary", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  let store: Store;
  let project: DeployingProject;
  let dev: Shop;
  const stores = new ProjectStores();
  const pacing = { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 };

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    writeFileSync(p.serviceStep, webServiceStep("rolling", nativeCanary).replace("mode: rolling", "mode: ecs-canary"));
    for (const version of ["1.0.0", "1.1.0"]) expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
    ({ store, project } = await openDeploying(p, stores));
    dev = sampleShop(h, p);
  });
  afterAll(async () => {
    await stores.closeAll();
    await h?.close();
  });

  it("is rolled back by ECS when aborted during the bake, every request back on the revision before", { timeout: 180_000 }, async () => {
    // The first deployment creates the service; its day-long bake is skipped by moving the simulated clock.
    const first = await startDeployment(project, { release: "1.0.0", environment: "dev", actor: "ci" });
    const firstRun = first.execute({ pacing, abortPollMs: 20 });
    await expect.poll(async () => (await stage(h))?.lifecycleStage, { timeout: 60_000, interval: 20 }).toBe("BAKE_TIME");
    h.sim.clock.advance(1440 * 60);
    await firstRun;
    const before = (await running(h))?.taskDefinition?.split("/").at(-1) ?? "";
    expect(before).toBe("shop-web:1");

    const started = await startDeployment(project, { release: "1.1.0", environment: "dev", actor: "ci" });
    const deploying = started.execute({ pacing, abortPollMs: 20 }).then(() => undefined, (error: unknown) => error as Error);
    await expect.poll(async () => (await stage(h))?.lifecycleStage, { timeout: 60_000, interval: 20 }).toBe("BAKE_TIME");
    expect(Object.values(await revisionShares(h, dev))).toEqual([1]);
    await store.runs.requestAbort(started.run.id, { by: "oncall", reason: "error rate up" });
    const error = await deploying;
    expect(error?.message).toMatch(new RegExp(`^Deployment ${started.run.id} was aborted by oncall \\(error rate up\\); rolled back: shop-web back on ${before}`));
    expect((await stage(h))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(await revisionShares(h, dev)).toEqual({ [before]: 1 });
    expect((await store.runs.get(started.run.id))?.status).toBe("rolled-back");
    expect((await running(h))?.taskDefinition?.split("/").at(-1)).toBe(before);
  });
});

const running = async (h: SimHarness) => (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }))).services?.[0];

/** The service's newest ECS service deployment. */
async function stage(h: SimHarness) {
  if (!(await running(h))) return undefined;
  const listed = await h.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: "shop-dev", service: "shop-web" }));
  const arn = listed.serviceDeployments?.[0]?.serviceDeploymentArn;
  if (!arn) return undefined;
  return (await h.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments?.[0];
}
