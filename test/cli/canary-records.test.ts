import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProjectStores } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { callsSince, resetCalls } from "../steps/service/world.js";
import { shop } from "../steps/service/task-sets/world.js";
import { shopDevSim } from "../sim/ecs-fixtures.js";
import { canaryProject } from "./canary-project.js";
import { runCli } from "./capture.js";

/** A canary project without its approval stage: each deploy runs to the end on its own. */
async function unattended(h: SimHarness, name: string) {
  const p = await canaryProject(h, await shop(h, name));
  writeFileSync(p.step, readFileSync(p.step, "utf8").replace("  - approval: { timeoutSeconds: 30 }\n", ""));
  const deploy = (...extra: string[]) => runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--poll-interval", "0.02", ...extra);
  return { ...p, deploy };
}

describe("slipway history, rollback and --deployment for canary services (EXTERNAL controller)", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim(["1.0.0", "2.0.0", "3.0.0"]);
  });
  afterAll(() => h.close());
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("history shows slipway's records, saying ECS keeps none for an EXTERNAL service", async () => {
    const p = await unattended(h, "rec-history");
    expect((await p.deploy("--task-definition", "shop-web:1")).code).toBe(0);
    expect((await p.deploy("--task-definition", "shop-web:2")).code).toBe(0);
    const { code, out, err } = await runCli("history", p.step, "--env", "dev", "--project", p.project);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out[0]).toBe(
      `ECS records no service deployments for rec-history: it uses the EXTERNAL deployment controller (mode: canary or blue-green). Showing slipway's own records from ${(await stores.of(p.project)).location} (times are AWS's clock, UTC):`,
    );
    expect(out[2]).toMatch(/ SUCCESSFUL +shop-web:1 → shop-web:2 +off +0$/);
    expect(out[3]).toMatch(/ SUCCESSFUL +\(none\) → shop-web:1 +off +0$/);
  });

  it("dates slipway's records by AWS's clock — the simulator's here, days ahead of this machine's — as ECS dates its own", async () => {
    const p = await unattended(h, "rec-clock");
    await h.control("POST", "clock", { advanceSeconds: 3 * 86_400 });
    const before = h.sim.clock.nowMs();
    expect((await p.deploy("--task-definition", "shop-web:1")).code).toBe(0);
    const after = h.sim.clock.nowMs();
    const [record] = await (await stores.of(p.project)).records.list({ environment: "dev", cluster: "shop-dev", service: "rec-clock" });
    // Within the Date header's whole seconds of the simulated time, not of this machine's (three days behind).
    for (const at of [record?.startedAt, record?.endedAt]) {
      expect(Date.parse(at ?? "")).toBeGreaterThanOrEqual(before - 1_500);
      expect(Date.parse(at ?? "")).toBeLessThanOrEqual(after + 1_500);
    }
  });

  it("rollback refuses to skip the stages but names the previous successful revision from slipway's records", async () => {
    const p = await unattended(h, "rec-rollback");
    expect((await p.deploy("--task-definition", "shop-web:1")).code).toBe(0);
    expect((await p.deploy("--task-definition", "shop-web:2")).code).toBe(0);
    await resetCalls(h);
    const { code, out, err } = await runCli("rollback", p.step, "--env", "dev", "--project", p.project, "--poll-interval", "0.02");
    expect(code).toBe(4);
    // Refused before anything says the service is being rolled back, or names a deployment that never started.
    expect(out).toEqual([]);
    expect(err).toBe(
      "error: mode: canary does not roll one service back in a single write: it would skip its task sets and traffic shifts. rec-rollback runs shop-web:2; its previous successful revision is shop-web:1 (from slipway's records: ECS records no service deployments for rec-rollback: it uses the EXTERNAL deployment controller (mode: canary or blue-green)).\n" +
        `hint: Roll dev back to its last successful release — every service, traffic moved at once: slipway rollback --env dev. Or deploy shop-web:1 through the step's stages: slipway service deploy ${p.step} --env dev --task-definition shop-web:1`,
    );
    expect((await callsSince(h)).writes).toEqual({});
    // Nothing is recorded for a rollback that did not happen: status and history keep saying what runs.
    expect(await (await stores.of(p.project)).runs.list()).toEqual([]);
  });

  it("--deployment with an earlier run's id refuses a different --task-definition or --release, even on a dry run", async () => {
    const p = await unattended(h, "rec-again");
    expect((await p.deploy("--task-definition", "shop-web:1")).code).toBe(0);
    expect((await p.deploy("--task-definition", "shop-web:2", "--deployment", "dep2", "--release", "2.0.0")).code).toBe(0);
    await resetCalls(h);
    const hint = "hint: Use `slipway resume dep2` to continue it, or start a new deployment without --deployment.";
    const otherRevision = await p.deploy("--task-definition", "shop-web:3", "--deployment", "dep2", "--release", "2.0.0", "--dry-run");
    expect(otherRevision.code).toBe(2);
    expect(otherRevision.out).toEqual([]);
    expect(otherRevision.err).toBe(`error: Deployment dep2 was started with --task-definition shop-web:2; this run asks for --task-definition shop-web:3.\n${hint}`);
    const otherRelease = await p.deploy("--task-definition", "shop-web:2", "--deployment", "dep2");
    expect(otherRelease.code).toBe(2);
    expect(otherRelease.err).toBe(`error: Deployment dep2 was started with --release 2.0.0; this run asks for no --release.\n${hint}`);
    expect((await callsSince(h)).writes).toEqual({});
    // The same flags again continue it (here: finished, so nothing is written).
    expect((await p.deploy("--task-definition", "shop-web:2", "--deployment", "dep2", "--release", "2.0.0")).code).toBe(0);
    expect((await callsSince(h)).writes).toEqual({});
    const records = await (await stores.of(p.project)).records.list({ environment: "dev", cluster: "shop-dev", service: "rec-again" });
    expect(records.filter((r) => r.deploymentId === "dep2").map((r) => r.status)).toEqual(["SUCCESSFUL"]);
  });
});

describe("slipway service deploy --deployment for a rolling service", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());

  it("refuses an earlier run's id with another --task-definition", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-rolling-again-"));
    writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets: targets.yaml\n");
    const target = `    region: us-east-1\n    cluster: shop-dev\n    endpoint: ${h.url}\n`;
    writeFileSync(join(dir, "targets.yaml"), `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n${target}  prod:\n${target}`);
    const step = join(dir, "web.service.yaml");
    copyFileSync("test/fixtures/steps/service/web.service.yaml", step);
    const deploy = (...extra: string[]) => runCli("service", "deploy", step, "--env", "dev", "--project", join(dir, "slipway.yaml"), "--poll-interval", "0.02", ...extra);
    const first = await deploy("--task-definition", "shop-web:1", "--deployment", "roll1");
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    await resetCalls(h);
    const refused = await deploy("--task-definition", "shop-web:2", "--deployment", "roll1");
    expect(refused.code).toBe(2);
    expect(refused.err).toBe("error: Deployment roll1 was started with --task-definition shop-web:1; this run asks for --task-definition shop-web:2.\nhint: Use `slipway resume roll1` to continue it, or start a new deployment without --deployment.");
    expect((await callsSince(h)).writes).toEqual({});
  });
});
