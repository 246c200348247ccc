import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProjectStores, seedProjectStore } from "../support/project-store.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, describeService, imageBehaves, registerWeb } from "../sim/ecs-fixtures.js";
import { callsSince, resetCalls } from "../steps/service/world.js";
import { runCli } from "./capture.js";

/** A project whose dev target points at the harness's simulator, with the web service step beside it. */
function project(h: SimHarness): { dir: string; project: string; step: string } {
  const dir = mkdtempSync(join(tmpdir(), "slipway-service-"));
  writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets: targets.yaml\n");
  const target = (cluster: string) => `    region: us-east-1\n    cluster: ${cluster}\n    endpoint: ${h.url}\n`;
  writeFileSync(join(dir, "targets.yaml"), `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n${target("shop-dev")}  prod:\n${target("shop-prod")}`);
  copyFileSync("test/fixtures/steps/service/web.service.yaml", join(dir, "web.service.yaml"));
  return { dir, project: join(dir, "slipway.yaml"), step: join(dir, "web.service.yaml") };
}

const stamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /;
/** The lines as read without their timestamps. */
const unstamped = (out: string[]) => out.map((l) => l.replace(stamp, ""));

describe("slipway service deploy, rollback and history", () => {
  let h: SimHarness;
  let p: ReturnType<typeof project>;
  const deploy = (...extra: string[]) => runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--poll-interval", "0.02", ...extra);
  beforeAll(async () => {
    h = await startSim({ speed: 100 });
    await createCluster(h, "shop-dev");
    await registerWeb(h, "shop-web", "shop/web:1.0.0");
    await registerWeb(h, "shop-web", "shop/web:1.1.0");
    await registerWeb(h, "shop-web", "shop/web:2.0.0-broken");
    await imageBehaves(h, "shop/web:2.0.0-broken", "crash");
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    p = project(h);
    await seedProjectStore(p.dir);
    await resetCalls(h);
  });
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("creates, updates with timestamped progress, then a second deploy of the same release writes nothing; history shows ECS's record", async () => {
    const created = await deploy("--task-definition", "shop-web:1");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out[0]).toBe("service:shop-web: 1 action(s)");

    const updated = await deploy("--task-definition", "shop-web:2", "--release", "1.1.0");
    expect(updated.code).toBe(0);
    expect(updated.out.slice(0, 2)).toEqual(["service:shop-web: 1 action(s)", "  + update the service shop-web (to shop-web:2)"]);
    expect(updated.out).toContain("task definition: shop-web:1 → shop-web:2");
    const progress = updated.out.filter((l) => stamp.test(l));
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.some((l) => / status {2}shop-web \d\/2 running.* \| PRIMARY shop-web:2 IN_PROGRESS \d\/2/.test(l))).toBe(true);
    // Each event once: the steady-state event of the first deploy is not shown again.
    expect(progress.filter((l) => l.includes("has reached a steady state.")).length).toBe(1);
    expect(updated.out.at(-1)).toMatch(/^deployed shop-web:2 to shop-web in dev: SUCCESSFUL \(ECS deployment ecs-svc\/\d+\)$/);

    await resetCalls(h);
    const again = await deploy("--task-definition", "shop-web:2");
    expect(again.code).toBe(0);
    expect(again.out[0]).toBe("service:shop-web: no changes");
    expect(again.out.at(-1)).toBe("shop-web in dev already runs shop-web:2 and is steady: nothing deployed");
    expect((await callsSince(h)).writes).toEqual({});

    const history = await runCli("history", p.step, "--env", "dev", "--project", p.project);
    expect(history.code).toBe(0);
    expect(history.out[0]).toBe("shop-web in dev (cluster shop-dev), from ECS service deployments (times are ECS's):");
    expect(history.out[1]).toMatch(/^ {2}STARTED +ENDED +STATUS +REVISIONS +CIRCUIT BREAKER +FAILED TASKS$/);
    expect(history.out[2]).toMatch(/ SUCCESSFUL +shop-web:1 → shop-web:2 +MONITORING_COMPLETE 0\/3 +0$/);
    expect(history.out[3]).toMatch(/ SUCCESSFUL +\(none\) → shop-web:1 +MONITORING_COMPLETE 0\/3 +0$/);
  });

  it("a dry run prints the plan and makes no write", async () => {
    writeFileSync(p.step, readFileSync(p.step, "utf8").replace("service: shop-web", "service: shop-dry"));
    const { code, out } = await deploy("--task-definition", "shop-web:2", "--dry-run");
    expect(code).toBe(0);
    expect(out.slice(0, 2)).toEqual(["service:shop-dry: 1 action(s)", "  + create the service shop-dry running shop-web:2 × 2"]);
    expect(out).toContain("--- (no service yet)");
    expect(out.at(-1)).toBe("dry run: nothing was changed");
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("explains a crash that ECS rolled back, exiting 3", async () => {
    writeFileSync(p.step, readFileSync(p.step, "utf8").replace("service: shop-web", "service: shop-api"));
    expect((await deploy("--task-definition", "shop-web:1")).code).toBe(0);
    const failed = await deploy("--task-definition", "shop-web:3");
    expect(failed.code).toBe(3);
    expect(unstamped(failed.out)).toContain("  rolled back: yes, ECS rolled back to shop-web:1");
    expect(failed.out.some((l) => /task [0-9a-f]{12} shop-web:3: EssentialContainerExited: Essential container in task exited; web exit 1$/.test(l))).toBe(true);
    expect(failed.err).toBe(
      "error: Deploying shop-api to shop-web:3 failed (ROLLBACK_SUCCESSFUL).\nhint: ECS rolled the service back to shop-web:1. Fix what the stopped tasks show, then deploy a new release.",
    );
  });

  it("without ECS's rollback, explains the failure and `slipway rollback` restores the previous revision", async () => {
    writeFileSync(p.step, readFileSync(p.step, "utf8").replace("service: shop-web", "service: shop-cart").replace("rollback: true", "rollback: false"));
    expect((await deploy("--task-definition", "shop-web:1")).code).toBe(0);
    const failed = await deploy("--task-definition", "shop-web:3");
    expect(failed.code).toBe(3);
    expect(unstamped(failed.out)).toContain("  rolled back: no — run `slipway rollback` to return to shop-web:1");
    expect(failed.err).toMatch(/^error: Deploying shop-cart to shop-web:3 failed \(FAILED\)\.\nhint: .*slipway rollback/);

    const rolledBack = await runCli("rollback", p.step, "--env", "dev", "--project", p.project, "--poll-interval", "0.02");
    expect(rolledBack.err).toBe("");
    expect(rolledBack.code).toBe(0);
    expect(rolledBack.out.some((l) => l.endsWith("rolling shop-cart back from shop-web:3 to shop-web:1 (the previous successful revision, from ECS service deployments)"))).toBe(true);
    expect(rolledBack.out.at(-1)).toMatch(/^rolled shop-cart in dev back to shop-web:1: SUCCESSFUL/);
    expect((await describeService(h, "shop-dev", "shop-cart")).taskDefinition).toMatch(/shop-web:1$/);

    // slipway's own records of the service, newest first.
    const records = await (await stores.of(p.project)).records.list({ environment: "dev", cluster: "shop-dev", service: "shop-cart" });
    expect(records.map((r) => `${r.kind} ${r.status}`)).toEqual(["rollback SUCCESSFUL", "deploy FAILED", "deploy SUCCESSFUL"]);

    // Recorded as a deployment of kind rollback. No release made these revisions (a lone step, no tags): none is
    // claimed, and status names the revisions instead.
    const id = (rolledBack.out[0] ?? "").replace(/^deployment /, "");
    expect(await (await stores.of(p.project)).runs.get(id)).toMatchObject({ kind: "rollback", status: "succeeded", rollback: { service: "shop-cart", from: { taskDefinition: expect.stringMatching(/shop-web:3$/) }, to: { taskDefinition: expect.stringMatching(/shop-web:1$/) } } });
    const status = JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")) as { environments: { name: string; current?: object }[] };
    const current = status.environments.find((e) => e.name === "dev")?.current;
    expect(current).toMatchObject({ id, kind: "rollback", status: "succeeded" });
    expect(current).not.toHaveProperty("release");
    expect(current).not.toHaveProperty("rollback.to.release");
    expect((await runCli("status", "--project", p.project)).out).toContain(`  dev        runs shop-web:1, no known release (rollback of shop-cart from shop-web:3, since ${(current as { at: string }).at})`);
  });

  it("refuses a service under the EXTERNAL controller with exit 1 and migration guidance", async () => {
    const { CreateServiceCommand } = await import("@aws-sdk/client-ecs");
    writeFileSync(p.step, readFileSync(p.step, "utf8").replace("service: shop-web", "service: shop-ext"));
    await h.clients.ecs.send(new CreateServiceCommand({ cluster: "shop-dev", serviceName: "shop-ext", desiredCount: 0, deploymentController: { type: "EXTERNAL" } }));
    const refused = await deploy("--task-definition", "shop-web:1");
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/^error: The service "shop-ext" uses the EXTERNAL deployment controller/);
    expect(refused.err).toMatch(/hint: Deploy it with a task-set mode \(mode: canary or mode: blue-green\)/);
  });
});
