import { writeFileSync } from "node:fs";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/engine/store.js";
import request from "supertest";
import { apiOverProject } from "../api/project-api.js";
import { expectApi } from "../api/openapi.js";
import { runCli } from "../cli/capture.js";
import { startDeployment } from "../../src/releases/deployments.js";
import { openDeploying, sampleShop } from "../support/deploying-world.js";
import { ProjectStores } from "../support/project-store.js";
import { releaseProject, webServiceStep, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { revisionShares, type Shop } from "../steps/service/task-sets/world.js";

/** Stages a forward deployment walks — a verification rule, a pause and a person's approval — that a rollback must not. */
const gated: Record<"canary" | "blue-green", string[]> = {
  canary: ["stages:", "  - canaryRollout: { scale: 50 }", "  - verify: { header: { name: X-Slipway-Verify, values: [tester-7f3a] } }", "  - trafficRouting: { canary: 10 }", "  - approval: { instructions: Check the canary. }", "  - primaryRollout: {}", "  - trafficRouting: { primary: 100 }", "  - canaryClean: {}"],
  "blue-green": ["stages:", "  - greenRollout: {}", "  - trafficRouting: { green: 100 }", "  - approval: { instructions: Check green. }", "  - clean: {}"],
};

describe.each(["canary", "blue-green", "rolling"] as const)("slipway rollback --env: a %s environment back to its last good release", (mode) => {
  let h: SimHarness;
  let p: ReleaseProject;
  let store: Store;
  let dev: Shop;
  const stores = new ProjectStores();
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project, "--poll-interval", "0.02");
  const running = async () => (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }))).services?.[0]?.taskDefinition?.split("/").at(-1);

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    if (mode !== "rolling") writeFileSync(p.serviceStep, webServiceStep("canary", gated[mode]).replace("mode: canary", `mode: ${mode}`));
    store = await stores.of(p.project, JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")).project as string);
    dev = sampleShop(h, p);
    // Forward deployments wait at their gate: someone approves each as it opens.
    const approver = setInterval(() => {
      void store.approvals.list({ open: true }).then((gates) => Promise.all(gates.map((g) => store.approvals.decide({ deploymentId: g.deploymentId, stage: g.stage, verdict: "approved", by: "qa" }).catch(() => undefined))));
    }, 20);
    try {
      for (const version of ["1.0.0", "1.1.0"]) {
        expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
        const deployed = await cli("deploy", version, "--to", "dev");
        expect(deployed.code, deployed.err).toBe(0);
      }
    } finally {
      clearInterval(approver);
    }
  });
  afterAll(async () => {
    await stores.closeAll();
    await h?.close();
  });

  it("returns dev to 1.0.0 at once — no gate waited for, nobody approving — recorded as a deployment of 1.0.0 that replaces 1.1.0", { timeout: 120_000 }, async () => {
    const newer = await running();
    const rolled = await cli("rollback", "--env", "dev");
    expect(rolled.code, rolled.err).toBe(0);
    const id = /deployment (rollback-dev-1\.0\.0-\S+) \(/.exec(rolled.out[0] ?? "")?.[1] as string;
    expect(rolled.out[0]).toBe(`rolling dev back from release 1.1.0 to 1.0.0: deployment ${id} (if interrupted: slipway resume ${id})`);
    expect(rolled.out.at(-1)).toBe(`dev runs release 1.0.0 again (rolled back from 1.1.0; deployment ${id})`);
    expect(await store.runs.get(id)).toMatchObject({ kind: "deploy", release: "1.0.0", replaces: "1.1.0", status: "succeeded" });
    expect(await store.approvals.list()).not.toContainEqual(expect.objectContaining({ deploymentId: id }));
    // The task definition step reused 1.0.0's revision: the service runs exactly what it ran before.
    const older = await running();
    expect(older).not.toBe(newer);
    expect(await revisionShares(h, dev)).toEqual({ [older as string]: 1 });
    const status = JSON.parse((await runCli("status", "--json", "--project", p.project)).out.join("\n")) as { environments: { name: string; current?: { release?: string } }[] };
    expect(status.environments.find((e) => e.name === "dev")?.current?.release).toBe("1.0.0");

    const unknown = await cli("rollback", "--env", "dev", "--to", "0.9.0");
    expect(unknown.code).toBe(4);
    expect(unknown.err).toContain("Release 0.9.0 never succeeded in dev, so it is no known-good state to return to.");
    const forward = await cli("rollback", "--env", "dev", "--to", "1.1.0");
    expect(forward.code, forward.err).toBe(0);
    expect(await running()).toBe(newer);
  });

  it("is also POST /api/v1/environments/{env}/rollback: scope first, then a deployment that replaces the newer release", { timeout: 120_000 }, async () => {
    const api = await apiOverProject(p.project, store);
    const newer = await running();
    const refused = await request(api.app).post("/api/v1/environments/dev/rollback").set({ authorization: `Bearer ${api.reader}` }).send({});
    expect(refused.status).toBe(403);
    const never = await request(api.app).post("/api/v1/environments/dev/rollback").set({ authorization: `Bearer ${api.admin}` }).send({ to: "0.9.0" });
    expect(never.status).toBe(409);
    expectApi("post", "/api/v1/environments/{environment}/rollback", 409, never.body);
    const started = await request(api.app).post("/api/v1/environments/dev/rollback").set({ authorization: `Bearer ${api.admin}` }).send({});
    expect(started.status, started.text).toBe(202);
    expectApi("post", "/api/v1/environments/{environment}/rollback", 202, started.body);
    expect(started.body).toMatchObject({ kind: "deploy", release: "1.0.0", replaces: "1.1.0", environment: "dev" });
    await expect.poll(async () => (await store.runs.get(started.body.id as string))?.status, { timeout: 90_000, interval: 100 }).toBe("succeeded");
    expect(await running()).not.toBe(newer);
  });

  /** Starts 1.2.0 in dev in this process and waits until it stands at its gate: the previous task set is still alive. */
  async function atGate(): Promise<{ id: string; stop: AbortController; ended: Promise<unknown> }> {
    const { project } = await openDeploying(p, stores);
    const started = await startDeployment(project, { release: "1.2.0", environment: "dev", actor: "ci" });
    const stop = new AbortController();
    const ended = started.execute({ pacing: { minDelaySeconds: 0.02, maxDelaySeconds: 0.05 }, abortPollMs: 20, signal: stop.signal }).catch((error: unknown) => error);
    await expect.poll(async () => (await store.approvals.list({ open: true })).some((g) => g.deploymentId === started.run.id), { timeout: 60_000, interval: 20 }).toBe(true);
    return { id: started.run.id, stop, ended };
  }

  // Skipped for rolling: its process has no gate to stop at (aborting an unfinished rolling run: abort-anywhere.test.ts).
  it.runIf(mode !== "rolling")("with 1.2.0 interrupted at its gate, aborts it instead: traffic straight back to the task set still running the last good release", { timeout: 120_000 }, async () => {
    expect((await runCli("release", "create", "1.2.0", "--image", "web=1.2.0", "--project", p.project)).code).toBe(0);
    const good = await running();
    const gate = await atGate();
    // Traffic is split (canary) or all on the new task set (blue/green's gate comes after the switch).
    expect(await revisionShares(h, dev)).not.toEqual({ [good as string]: 1 });
    gate.stop.abort();
    await gate.ended;
    expect((await store.runs.get(gate.id))?.status).toBe("interrupted");

    const rolled = await cli("rollback", "--env", "dev");
    expect(rolled.code, rolled.err).toBe(0);
    expect(rolled.out[0]).toBe(`deployment ${gate.id} of release 1.2.0 is interrupted in dev: aborting it first — its services go back to what ran before, traffic at once`);
    expect(rolled.out.at(-1)).toBe(`dev runs release 1.0.0 again (deployment ${gate.id} of release 1.2.0 rolled back)`);
    expect(await revisionShares(h, dev)).toEqual({ [good as string]: 1 });
    expect(await store.runs.get(gate.id)).toMatchObject({ status: "rolled-back" });
    // Its gate is not left open: decided aborted by whoever rolled the environment back, saying why.
    const [decided] = (await store.approvals.list()).filter((g) => g.deploymentId === gate.id);
    expect(decided?.decision).toMatchObject({ outcome: "aborted", reason: "slipway rollback --env dev" });
  });

  it.runIf(mode !== "rolling")("through the API, with 1.2.0 waiting at its gate: its runner rolls it back; a `to` past it is refused until then", { timeout: 120_000 }, async () => {
    const api = await apiOverProject(p.project, store);
    const good = await running();
    const gate = await atGate();
    const past = await request(api.app).post("/api/v1/environments/dev/rollback").set({ authorization: `Bearer ${api.admin}` }).send({ to: "1.1.0" });
    expect(past.status).toBe(409);
    expectApi("post", "/api/v1/environments/{environment}/rollback", 409, past.body);
    expect(past.body.message).toBe(`Deployment ${gate.id} of release 1.2.0 is running in dev: it is rolled back first, to release 1.0.0, before release 1.1.0 can be deployed there.`);
    const aborting = await request(api.app).post("/api/v1/environments/dev/rollback").set({ authorization: `Bearer ${api.admin}` }).send({});
    expect(aborting.status, aborting.text).toBe(202);
    expectApi("post", "/api/v1/environments/{environment}/rollback", 202, aborting.body);
    expect(aborting.body).toMatchObject({ id: gate.id, release: "1.2.0" });
    await gate.ended;
    expect(await store.runs.get(gate.id)).toMatchObject({ status: "rolled-back" });
    expect(await revisionShares(h, dev)).toEqual({ [good as string]: 1 });
  });
});
