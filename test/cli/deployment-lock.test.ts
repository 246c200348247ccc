import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LockHolder } from "../../src/engine/deployment-lock.js";
import { lockState, ProjectStores, untilGateOpen } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { openStoreInChild, StoreChild } from "../storage/store-children.js";
import { revisionShares, settledState, shop } from "../steps/service/task-sets/world.js";
import { shopDevSim } from "../sim/ecs-fixtures.js";
import { canaryProject } from "./canary-project.js";
import { runCli } from "./capture.js";

/**
 * Another process that takes the service's deployment lock in the project's store and is then killed (SIGKILL)
 * while holding it: its lease stays behind, recording a pid that no longer runs on this host.
 */
async function killedHolder(projectDir: string, service: string, deploymentId: string): Promise<LockHolder> {
  const args = { stateDir: join(projectDir, ".slipway"), project: "shop", service, deploymentId, ...(process.env.DATABASE_URL && { databaseUrl: process.env.DATABASE_URL }) };
  const child = new StoreChild(`${openStoreInChild}\nconst lock = await store.locks.acquire({ environment: "dev", service: args.service }, args.deploymentId);\nsay({ holder: lock.holder });\nawait heard();`, args);
  try {
    const holder = (await child.until("holder")).holder as LockHolder;
    expect(holder.pid).toBe(child.process.pid);
    child.kill("SIGKILL");
    expect(await child.exited).toMatchObject({ signal: "SIGKILL" });
    return holder;
  } finally {
    child.kill("SIGKILL");
  }
}

describe("one deployment of a service at a time (review finding A)", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim(["1.0.0", "2.0.0", "3.0.0"]);
  });
  afterAll(() => h.close());
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("refuses a second deploy, resume or rollback while one waits at its gate, naming it; the first then finishes and lets go", async () => {
    const s = await shop(h, "locked");
    const p = await canaryProject(h, s);
    const deploy = (...extra: string[]) => runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--poll-interval", "0.02", ...extra);
    expect((await deploy("--task-definition", "shop-web:1")).code).toBe(0);
    const dep2 = deploy("--task-definition", "shop-web:2", "--deployment", "dep2");
    const store = await stores.of(p.project);
    await untilGateOpen(store, "dep2");

    const dep3 = await deploy("--task-definition", "shop-web:3", "--deployment", "dep3");
    expect(dep3.code).toBe(4);
    expect(dep3.err).toMatch(/^error: locked in dev is being deployed by deployment dep2 \(pid \d+ on .+, since .+\): slipway runs one deployment of a service at a time\.\nhint: Wait for deployment dep2 to finish; .*`slipway abort dep2`.*`slipway resume dep2`/);
    // Nothing of dep2's was touched: its canary still takes half the traffic.
    expect(await revisionShares(h, s)).toEqual({ "shop-web:1": 0.5, "shop-web:2": 0.5 });

    const twice = await runCli("resume", "dep2", "--project", p.project, "--poll-interval", "0.02");
    expect(twice.code).toBe(4);
    expect(twice.err).toContain("is being deployed by deployment dep2");
    const rollback = await runCli("rollback", p.step, "--env", "dev", "--project", p.project);
    expect(rollback.err).toContain("is being deployed by deployment dep2");

    expect((await runCli("approve", "dep2", "--project", p.project, "--as", "alice")).code).toBe(0);
    expect((await dep2).code).toBe(0);
    expect(await settledState(h, s, s.name)).toEqual({ revision: "shop-web:2", problems: [] });
    expect(await lockState(store, { environment: "dev", service: s.name })).toBe("free");
    // Released, so the next deployment goes ahead.
    expect((await deploy("--task-definition", "shop-web:3", "--deployment", "dep3", "--dry-run")).code).toBe(0);
  });

  it("takes over a lock whose process is gone, says so, and releases it when done", async () => {
    const s = await shop(h, "orphaned");
    const p = await canaryProject(h, s);
    writeFileSync(p.step, readFileSync(p.step, "utf8").replace("  - approval: { timeoutSeconds: 30 }\n", ""));
    const ghost = await killedHolder(p.dir, s.name, "ghost-1");
    expect(ghost).toMatchObject({ deploymentId: "ghost-1", host: hostname() });
    const { code, out } = await runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:1", "--poll-interval", "0.02");
    expect(code).toBe(0);
    expect(out).toContain(`took over the deployment lock from deployment ghost-1 (pid ${ghost.pid} on ${hostname()}, since ${ghost.startedAt}): that process is no longer running`);
    expect(await lockState(await stores.of(p.project), { environment: "dev", service: s.name })).toBe("free");
  });
});

describe("a deployment id that cannot be one (review finding B)", () => {
  it.each([
    ["service deploy --deployment", ["service", "deploy", "test/fixtures/steps/service/canary.service.yaml", "--env", "dev", "--project", "test/fixtures/project/slipway.yaml", "--deployment", "a/b"], "--deployment"],
    ["resume", ["resume", "a/b", "--project", "test/fixtures/project/slipway.yaml"], "the deployment to resume"],
  ])("%s a/b is bad input (exit 2) with a hint, not a bug in slipway", async (_name, argv, given) => {
    const { code, err } = await runCli(...argv);
    expect(code).toBe(2);
    expect(err).toBe(`error: "a/b" is not a deployment id (${given}).\nhint: Deployment ids are letters, digits, dots, hyphens and underscores — give the id \`slipway service deploy\` printed (deployment …), or leave --deployment out for a new one.`);
  });
});
