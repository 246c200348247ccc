import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer } from "../api/api-world.js";
import { expectApi } from "../api/openapi.js";
import { apiOverProject } from "../api/project-api.js";
import { runCli } from "../cli/capture.js";
import { imageBehaves } from "../sim/ecs-fixtures.js";
import { ProjectStores } from "../support/project-store.js";
import { releaseProject, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { cliActor } from "../../src/cli/commands/project-store.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import type { ProjectStatus } from "../../src/releases/status.js";

/** The task definition revision dev's web service runs now. */
async function runningIn(h: SimHarness, env: string): Promise<string> {
  const described = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: `shop-${env}`, services: ["shop-web"] }));
  return described.services?.[0]?.taskDefinition ?? "(no service)";
}

const label = (arn: string) => arn.replace(/^.*task-definition\//, "");

describe("slipway rollback is a deployment like any other", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  let project: string;
  const stores = new ProjectStores();
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project);
  const paced = (...argv: string[]) => cli(...argv, "--poll-interval", "0.02");
  const rollback = () => paced("rollback", p.serviceStep, "--env", "dev");
  const status = async () => JSON.parse((await cli("status", "--json")).out.join("\n")) as ProjectStatus;
  const store = () => stores.of(p.project, project);
  /** What each release's deployment to dev put there. */
  const revisions: Record<string, string> = {};
  let rollbackId = "";

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    project = (await status()).project;
    for (const [version, image] of [["1.0.0", "web=1.0.0"], ["1.1.0", "web=1.1.0"]] as const) {
      expect((await cli("release", "create", version, "--image", image)).code).toBe(0);
      const deployed = await paced("deploy", version, "--to", "dev");
      expect(deployed.err).toBe("");
      revisions[version] = await runningIn(h, "dev");
    }
    expect(revisions["1.1.0"]).not.toBe(revisions["1.0.0"]);
  });
  afterAll(async () => {
    await stores.closeAll();
    await h.close();
  });

  it("returns dev to 1.0.0's revision and records who, when, from and to, so status says what runs", async () => {
    const [from, to] = [revisions["1.1.0"] as string, revisions["1.0.0"] as string];
    const { code, out, err } = await rollback();
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(await runningIn(h, "dev")).toBe(to);

    // The id is told once the rollback has started, before its progress.
    const idLine = out.findIndex((l) => /^deployment rollback-dev-shop-web-/.test(l));
    const rolling = out.findIndex((l) => l.endsWith(`rolling shop-web back from ${label(from)} to ${label(to)} (the previous successful revision, from ECS service deployments)`));
    expect(idLine).toBe(0);
    expect(rolling).toBeGreaterThan(idLine);
    expect(out.at(-1)).toMatch(new RegExp(`^rolled shop-web in dev back to ${label(to)}: SUCCESSFUL \\(ECS deployment ecs-svc/\\d+\\)$`));
    const id = (out[0] as string).replace(/^deployment /, "");
    rollbackId = id;

    // The store's row: a run of kind rollback, from 1.1.0's revision to 1.0.0's, by whoever ran the command.
    const run = await (await store()).runs.get(id);
    expect(run).toMatchObject({
      kind: "rollback",
      release: "1.0.0",
      environment: "dev",
      status: "succeeded",
      requestedBy: cliActor(),
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      endedAt: expect.any(String),
      rollback: { service: "shop-web", cluster: "shop-dev", ecsDeploymentId: expect.stringMatching(/^ecs-svc\//), from: { taskDefinition: from, release: "1.1.0" }, to: { taskDefinition: to, release: "1.0.0" } },
    });
    expect(run).not.toHaveProperty("error");
    const records = await (await store()).records.list({ environment: "dev", cluster: "shop-dev", service: "shop-web" });
    expect(records[0]).toMatchObject({ deploymentId: id, kind: "rollback", release: "1.0.0", sourceTaskDefinition: from, targetTaskDefinition: to, status: "SUCCESSFUL" });
    expect((await (await store()).audit.list({ limit: 1 }))[0]).toMatchObject({ actor: cliActor(), action: "deployment.rollback", environment: "dev", subject: id });

    // status (JSON and text): dev runs 1.0.0, as a rollback from 1.1.0; the release matrix still shows deployments.
    const now = await status();
    expect(now.environments.find((e) => e.name === "dev")?.current).toEqual({
      id,
      kind: "rollback",
      release: "1.0.0",
      status: "succeeded",
      requestedBy: cliActor(),
      at: run?.endedAt,
      rollback: { service: "shop-web", from: { taskDefinition: from, release: "1.1.0" }, to: { taskDefinition: to, release: "1.0.0" } },
    });
    expect(now.releases.map((r) => [r.version, r.environments.dev?.kind, r.environments.dev?.status])).toEqual([
      ["1.1.0", "deploy", "succeeded"],
      ["1.0.0", "deploy", "succeeded"],
    ]);
    const text = (await cli("status")).out.join("\n");
    expect(text).toMatch(/ {2}dev {8}runs 1\.0\.0 \(rollback of shop-web from 1\.1\.0, since \S+\)\n/);

    // slipway history (ECS's own service deployments) agrees: the newest went from 1.1.0's revision to 1.0.0's.
    const history = await cli("history", p.serviceStep, "--env", "dev");
    expect(history.out[2]).toMatch(new RegExp(` SUCCESSFUL +${label(from)} → ${label(to)} `));
  });

  it("the API's history lists it — kind, who, when, from → to with their releases — and its status and deployment agree", async () => {
    const api = await apiOverProject(p.project, await store());
    const get = async (path: string, documented: string) => {
      const res = await request(api.app).get(path).set(bearer(api.reader));
      expect(res.status, res.text).toBe(200);
      expectApi("get", documented, 200, res.body);
      return res.body as unknown;
    };
    const [from, to] = [revisions["1.1.0"] as string, revisions["1.0.0"] as string];

    const history = (await get("/api/v1/environments/dev/history", "/api/v1/environments/{environment}/history")) as { deployments: Record<string, unknown>[] };
    const [latest, second, first] = history.deployments;
    expect(latest).toEqual({
      deployment: rollbackId,
      kind: "rollback",
      release: "1.0.0",
      status: "succeeded",
      requestedBy: cliActor(),
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      endedAt: expect.any(String),
      rollback: {
        service: "shop-web",
        ecsDeploymentId: expect.stringMatching(/^ecs-svc\//),
        from: { revision: label(from), taskDefinition: from, release: "1.1.0" },
        to: { revision: label(to), taskDefinition: to, release: "1.0.0" },
      },
      services: [{ service: "shop-web", from: label(from), sourceTaskDefinition: from, to: label(to), targetTaskDefinition: to, status: "SUCCESSFUL" }],
    });
    expect(Date.parse(latest?.endedAt as string)).toBeGreaterThanOrEqual(Date.parse(latest?.startedAt as string));
    expect([second, first].map((e) => [e?.kind, e?.release, e?.status])).toEqual([
      ["deploy", "1.1.0", "succeeded"],
      ["deploy", "1.0.0", "succeeded"],
    ]);
    expect(second).not.toHaveProperty("rollback");

    const status = (await get("/api/v1/status", "/api/v1/status")) as ProjectStatus;
    expect(status.environments.find((e) => e.name === "dev")?.current).toMatchObject({ id: rollbackId, kind: "rollback", release: "1.0.0", rollback: { from: { release: "1.1.0" }, to: { release: "1.0.0" } } });

    const detail = (await get(`/api/v1/deployments/${rollbackId}`, "/api/v1/deployments/{id}")) as { run: DeploymentRun; records: { kind: string }[] };
    expect(detail.run).toMatchObject({ id: rollbackId, kind: "rollback", release: "1.0.0" });
    expect(detail.records.map((r) => r.kind)).toEqual(["rollback"]);
    // A rollback runs no release's steps, and there is nothing in it to abort.
    const live = (await get(`/api/v1/deployments/${rollbackId}/live`, "/api/v1/deployments/{id}/live")) as Record<string, unknown>;
    expect(live).toMatchObject({ kind: "rollback", release: "1.0.0", steps: [], caller: { mayAbort: false } });
    const list = (await get("/api/v1/deployments?environment=dev", "/api/v1/deployments")) as { items: DeploymentRun[] };
    expect(list.items.map((r) => r.kind)).toEqual(["rollback", "deploy", "deploy"]);
  });

  it("records a rollback that failed as failed, with its error, and status keeps the release ECS went back to", async () => {
    expect((await paced("deploy", "1.1.0", "--to", "dev")).code).toBe(0);
    const running = await runningIn(h, "dev");
    const before = await status();
    // 1.0.0's image now crashes: ECS's circuit breaker stops the rollback and returns the service to 1.1.0's revision.
    const described = await h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: revisions["1.0.0"] }));
    await imageBehaves(h, described.taskDefinition?.containerDefinitions?.[0]?.image ?? "", "crash");
    const { code, out, err } = await rollback();
    expect(code).toBe(3);
    expect(err).toMatch(/^error: Rolling back shop-web to shop-web:\d+ failed \(ROLLBACK_SUCCESSFUL\)\.\nhint: ECS rolled the service back to /);
    expect(await runningIn(h, "dev")).toBe(running);

    const id = (out[0] as string).replace(/^deployment /, "");
    const run = await (await store()).runs.get(id);
    expect(run).toMatchObject({ kind: "rollback", status: "failed", release: "1.0.0", endedAt: expect.any(String), error: { message: expect.stringContaining("failed (ROLLBACK_SUCCESSFUL)"), hint: expect.stringContaining("ECS rolled the service back") } });
    // What runs is what ran before: the failed rollback is history, not dev's current release.
    const after = await status();
    expect(after.environments.find((e) => e.name === "dev")?.current).toEqual(before.environments.find((e) => e.name === "dev")?.current);
    expect(after.environments.find((e) => e.name === "dev")?.current).toMatchObject({ kind: "deploy", release: "1.1.0" });
    expect((await cli("status")).out.join("\n")).toMatch(/ {2}dev {8}runs 1\.1\.0 \(since /);
    // History tells the failed rollback as such: who tried it, what stopped it, where ECS took the service.
    const api = await apiOverProject(p.project, await store());
    const history = (await request(api.app).get("/api/v1/environments/dev/history").set(bearer(api.reader))).body as { deployments: Record<string, unknown>[] };
    expectApi("get", "/api/v1/environments/{environment}/history", 200, history);
    expect(history.deployments[0]).toMatchObject({ deployment: id, kind: "rollback", status: "failed", requestedBy: cliActor(), error: { message: expect.stringContaining("ROLLBACK_SUCCESSFUL") }, services: [{ service: "shop-web", status: "ROLLBACK_SUCCESSFUL" }] });
    await imageBehaves(h, described.taskDefinition?.containerDefinitions?.[0]?.image ?? "", "healthy");
  });

  it("refuses while a run is unfinished in the environment, naming it, and records nothing", async () => {
    const s = await store();
    await s.runs.create({ id: "release-dev-1.1.0-left", release: "1.1.0", environment: "dev", requestedBy: "cli:tester" });
    await s.runs.update("release-dev-1.1.0-left", { status: "interrupted" });
    const runsBefore = (await s.runs.list()).map((r) => r.id);
    const running = await runningIn(h, "dev");
    const { code, out, err } = await rollback();
    expect(code).toBe(4);
    expect(out).toEqual([]);
    expect(err).toBe(
      "error: Deployment release-dev-1.1.0-left of release 1.1.0 is interrupted in dev; a new deployment there waits until it has ended.\n" +
        "hint: Finish it with `slipway resume release-dev-1.1.0-left` (after `slipway abort release-dev-1.1.0-left` at its gate to roll it back instead).",
    );
    expect((await s.runs.list()).map((r) => r.id)).toEqual(runsBefore);
    expect(await runningIn(h, "dev")).toBe(running);
    expect((await paced("resume", "release-dev-1.1.0-left")).code).toBe(0);
  });

  it("a rollback whose process stopped watching blocks the environment until `slipway resume` sees it to its end", async () => {
    const s = await store();
    // What a rollback killed while it waited leaves: its run running in a process that is gone, ECS carrying on.
    const described = await h.clients.ecs.send(new DescribeServicesCommand({ cluster: "shop-dev", services: ["shop-web"] }));
    const primary = described.services?.[0]?.deployments?.find((d) => d.status === "PRIMARY");
    const to = await runningIn(h, "dev");
    const id = "rollback-dev-shop-web-left";
    await s.runs.create({ kind: "rollback", id, environment: "dev", requestedBy: "cli:tester", rollback: { service: "shop-web", cluster: "shop-dev", ecsDeploymentId: primary?.id ?? "", from: { taskDefinition: revisions["1.0.0"] as string, release: "1.0.0" }, to: { taskDefinition: to, release: "1.1.0" } } });
    await s.runs.update(id, { status: "running", startedAt: new Date().toISOString(), runner: { pid: 2 ** 22 + 7, host: "gone" } });

    const refused = await paced("deploy", "1.0.0", "--to", "dev");
    expect(refused.code).toBe(4);
    expect(refused.err).toBe(
      `error: Rollback ${id} of shop-web is running in dev; a new deployment there waits until it has ended.\n` +
        `hint: Wait for it to finish; if the process running it was stopped, \`slipway resume ${id}\` watches the rollback to its end and records how it ended.`,
    );
    const resumed = await paced("resume", id);
    expect(resumed.err).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.out[0]).toBe(`resuming rollback ${id}: shop-web in dev`);
    expect(resumed.out.at(-1)).toMatch(new RegExp(`^rolled shop-web in dev back to ${label(to)}: SUCCESSFUL`));
    expect(await s.runs.get(id)).toMatchObject({ status: "succeeded", endedAt: expect.any(String) });
    const again = await paced("resume", id);
    expect(again.code).toBe(4);
    expect(again.err).toContain(`Deployment ${id} already ended: succeeded.`);
    expect((await paced("deploy", "1.0.0", "--to", "dev")).code).toBe(0);
  });
});
