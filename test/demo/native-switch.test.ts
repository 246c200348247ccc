import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDeployableProject } from "../../src/config/load.js";
import { createAwsClients } from "../../src/aws/clients.js";
import { writeDemoProject } from "../../src/demo/demo-project.js";
import { describeCounts, listFrontends, sampleRevisions } from "../../src/demo/frontends.js";
import { createSampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import type { Store } from "../../src/engine/store.js";
import { createRelease } from "../../src/releases/create-release.js";
import { startDeployment, type DeployingProject } from "../../src/releases/deployments.js";
import { releaseSources } from "../../src/releases/release-sources.js";
import { toAwsConnection } from "../../targets/connection.js";
import { ProjectStores } from "../support/project-store.js";
import { startSim, type SimHarness } from "../support/sim.js";

/**
 * The demo's project (examples/) switched to ECS's own canary in prod with one line — after prod ran slipway's
 * task-set canary, so the service moves from the EXTERNAL controller to ECS's in place — and the next release walks
 * it: the verification header reaches the new revision before any customer, a person approves, ECS shifts the rest.
 */
describe("the demo project with prod switched to mode: ecs-canary by one line", () => {
  let h: SimHarness;
  let dir: string;
  let store: Store;
  let project: DeployingProject;
  const stores = new ProjectStores();
  const env = { ...process.env, SHOP_DB_PASSWORD: "demo-only-password" };
  const pacing = { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 };

  const open = async () => {
    const loaded = loadDeployableProject(join(dir, "slipway.yaml"));
    store = await stores.of(join(dir, "slipway.yaml"), loaded.project.name);
    project = { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, store, clientsFor: (t) => createAwsClients(toAwsConnection(t)) };
    return loaded;
  };
  const release = async (version: string, image: string) => {
    const loaded = await open();
    const first = loaded.targets.get("dev");
    if (!first) throw new Error("no dev target");
    await createRelease({ name: loaded.project.name, lifecycle: loaded.project.lifecycle, process: loaded.process }, store, releaseSources(createAwsClients(toAwsConnection(first))), { version, images: [`web=${image}`], actor: "test" });
  };
  const deploy = async (version: string, to: string) => (await startDeployment(project, { release: version, environment: to, actor: "test", env })).execute({ pacing, approvalPollMs: 20, env });
  /** Approves each open gate after `look` read what it needed while the deployment waits there. */
  const approving = (look: () => Promise<void>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void store.approvals
        .list({ open: true })
        .then(async (gates) => {
          for (const gate of gates) {
            await look();
            await store.approvals.decide({ deploymentId: gate.deploymentId, stage: gate.stage, verdict: "approved", by: "test" });
          }
        })
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, 20);
    return () => clearInterval(timer);
  };

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createSampleInfrastructure(h.url, h.region);
    ({ dir } = writeDemoProject(h.url));
  });
  afterAll(async () => {
    await stores.closeAll();
    await h?.close();
  });

  it("moves prod from task sets to ECS's canary and deploys the next release through it", { timeout: 240_000 }, async () => {
    await release("1.0.0", "1.1.0");
    const stop = approving(async () => undefined);
    try {
      for (const to of ["dev", "test", "prod"]) expect((await deploy("1.0.0", to)).status).toBe("succeeded");
    } finally {
      stop();
    }
    const describe = async () => (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-prod", services: ["shop-web"] }))).services?.[0];
    expect((await describe())?.deploymentController?.type).toBe("EXTERNAL");

    // The switch: one line under environments: prod:.
    const file = join(dir, "steps", "web.service.yaml");
    const before = readFileSync(file, "utf8");
    const after = before.replace("  prod:\n", "  prod:\n    mode: ecs-canary\n");
    expect(after.split("\n").length - before.split("\n").length).toBe(1);
    writeFileSync(file, after);

    await release("1.1.0", "1.2.0");
    const frontend = (await listFrontends(h.url, h.region)).find((f) => f.loadBalancerName === "shop-prod");
    const seen: string[] = [];
    const stopProd = approving(async () => {
      seen.push(`without the header: ${describeCounts(await sampleRevisions(frontend?.url ?? "", 20))}`);
      seen.push(`with X-Shop-Verify: ${describeCounts(await sampleRevisions(frontend?.url ?? "", 10, { "X-Shop-Verify": "tester-7f3a" }))}`);
    });
    try {
      // Promotion as the demo does it: dev first (test is optional), then prod.
      expect((await deploy("1.1.0", "dev")).status).toBe("succeeded");
      seen.length = 0;
      expect((await deploy("1.1.0", "prod")).status).toBe("succeeded");
    } finally {
      stopProd();
    }
    const service = await describe();
    expect(service?.deploymentController?.type).toBe("ECS");
    expect(service?.deploymentConfiguration?.strategy).toBe("CANARY");
    const now = service?.taskDefinition?.split("/").at(-1) ?? "";
    // At the approval (after ECS's test traffic shift): customers all on the old revision, testers all on the new.
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^without the header: shop-web:\d+ 100%$/);
    expect(seen[0]).not.toContain(now);
    expect(seen[1]).toBe(`with X-Shop-Verify: ${now} 100%`);
    expect(describeCounts(await sampleRevisions(frontend?.url ?? "", 20))).toBe(`${now} 100%`);
  });
});
