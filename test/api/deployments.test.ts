import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentEvent } from "../../src/engine/store.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { bearer, secretValue, startApiWorld, type ApiWorld } from "./api-world.js";
import { expectApi } from "./openapi.js";
import { statusLines } from "../../src/cli/commands/status-lines.js";
import { listening, parseSse, readStream, type SseFrame } from "./sse.js";

function eventsOf(frames: SseFrame[]): DeploymentEvent[] {
  return frames.filter((f) => f.data !== undefined).map((f) => JSON.parse(f.data as string) as DeploymentEvent);
}

describe("deployments through the API: live progress, decisions, history", () => {
  let w: ApiWorld;
  let server: { url: string; close(): Promise<void> };
  let dev: DeploymentRun;
  const deploy = async (release: string, environment: string) => {
    const res = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release, environment });
    expect(res.status, res.text).toBe(202);
    return res.body as DeploymentRun;
  };
  /** How the deployment started last ended: once its runner let go of everything (its locks too). */
  const lastSettled = async () => {
    const run = await w.settled.at(-1);
    if (!run) throw new Error("the last deployment recorded no end");
    return run;
  };

  beforeAll(async () => {
    w = await startApiWorld({ gateIn: ["test"] });
    server = await listening(w.app);
    expect((await request(w.app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version: "1.0.0" })).status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    await w.close();
  });

  it("streams a deployment's events as they are written, from its first to its done event", async () => {
    dev = await deploy("1.0.0", "dev");
    const seen: string[] = [];
    const { frames, endedByServer, contentType } = await readStream(`${server.url}/api/v1/deployments/${dev.id}/events`, bearer(w.keys.reader), async () => {
      // The first frames arrive while the deployment still runs: the stream is live, not a replay of a finished run.
      if (seen.length === 0) seen.push((await w.store.runs.get(dev.id))?.status ?? "?");
    });
    expect(contentType).toBe("text/event-stream; charset=utf-8");
    expect(endedByServer).toBe(true);
    expect(["queued", "running"]).toContain(seen[0]);
    const events = eventsOf(frames);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    for (const [i, frame] of frames.entries()) {
      expect(frame.id).toBe(String(events[i]?.id));
      expect(frame.event).toBe(events[i]?.type);
    }
    expect(events[0]).toMatchObject({ deploymentId: dev.id, type: "run", message: `deploying release 1.0.0 to dev` });
    expect(events.at(-1)).toMatchObject({ type: "done", data: { status: "succeeded" } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["step", "status"]));
    // Exactly what the store holds, in order.
    expect(events).toEqual(await w.store.events.since(dev.id));
  });

  it("replays the events after Last-Event-ID (or ?after=) and ends at done", async () => {
    const all = await w.store.events.since(dev.id);
    const middle = all[Math.floor(all.length / 2)] as DeploymentEvent;
    const after = all.filter((e) => e.id > middle.id);
    const resumed = await request(w.app).get(`/api/v1/deployments/${dev.id}/events`).set(bearer(w.keys.reader)).set("last-event-id", String(middle.id));
    expect(resumed.status).toBe(200);
    expect(eventsOf(parseSse(resumed.text))).toEqual(after);
    const byQuery = await request(w.app).get(`/api/v1/deployments/${dev.id}/events?after=${middle.id}`).set(bearer(w.keys.reader));
    expect(eventsOf(parseSse(byQuery.text))).toEqual(after);
    // Last-Event-ID is what a reconnecting EventSource sends: it wins over the URL it reconnects to.
    const both = await request(w.app).get(`/api/v1/deployments/${dev.id}/events?after=0`).set(bearer(w.keys.reader)).set("last-event-id", String(middle.id));
    expect(eventsOf(parseSse(both.text))).toEqual(after);
    // A client that saw everything is told the stream is over rather than kept waiting.
    const done = await request(w.app).get(`/api/v1/deployments/${dev.id}/events`).set(bearer(w.keys.reader)).set("last-event-id", String(all.at(-1)?.id));
    expect(eventsOf(parseSse(done.text))).toEqual([]);

    const bad = await request(w.app).get(`/api/v1/deployments/${dev.id}/events`).set(bearer(w.keys.reader)).set("last-event-id", "yesterday");
    expect(bad.status).toBe(400);
    expectApi("get", "/api/v1/deployments/{id}/events", 400, bad.body);
    const missing = await request(w.app).get("/api/v1/deployments/no-such-run/events").set(bearer(w.keys.reader));
    expect(missing.status).toBe(404);
    expectApi("get", "/api/v1/deployments/{id}/events", 404, missing.body);
  });

  it("keeps a stream open through a gate with heartbeats, refuses a second deployment of the service meanwhile, and streams on to done once approved", async () => {
    const test = await deploy("1.0.0", "test");
    const slowHeartbeats = await listening(w.appWith({ heartbeatMs: 40 }));
    try {
      let approved = false;
      let gateSeen = false;
      const { frames, endedByServer } = await readStream(`${slowHeartbeats.url}/api/v1/deployments/${test.id}/events`, bearer(w.keys.reader), async (frame) => {
        gateSeen ||= frame.event === "gate";
        // A heartbeat after the gate opened: the stream stays open while the deployment waits for a person.
        if (frame.comment === "heartbeat" && gateSeen && !approved) {
          approved = true;
          const busy = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.0.0", environment: "test" });
          expect(busy.status).toBe(409);
          expectApi("post", "/api/v1/deployments", 409, busy.body);
          expect(busy.body.message).toContain(`Deployment ${test.id} of release 1.0.0 is running in test`);
          // Status tells that it waits for a person, where, and since when — not just "running".
          const status = await request(w.app).get("/api/v1/status").set(bearer(w.keys.reader));
          expectApi("get", "/api/v1/status", 200, status.body);
          const inTest = status.body.environments.find((e: { name: string }) => e.name === "test");
          expect(inTest.inProgress).toEqual([expect.objectContaining({ id: test.id, status: "running", waiting: { stage: "sign-off", since: expect.stringMatching(/Z$/), approvers: [] } })]);
          expect(statusLines(status.body).find((l) => l.trimStart().startsWith("test"))).toContain(`1.0.0 waiting for approval at "sign-off" since ${inTest.inProgress[0].waiting.since}, slipway's clock (approve: slipway approve ${test.id}; abort: slipway abort ${test.id}) [${test.id}]`);
          const res = await request(w.app).post(`/api/v1/deployments/${test.id}/approve`).set(bearer(w.keys.devtest)).send({});
          expect(res.status, res.text).toBe(200);
        }
      });
      expect(endedByServer).toBe(true);
      expect(approved).toBe(true);
      const events = eventsOf(frames);
      expect(events.find((e) => e.type === "gate")).toMatchObject({ message: "waiting for approval: sign-off", data: { stage: "sign-off" } });
      expect(events.filter((e) => e.type === "gate").at(-1)).toMatchObject({ message: "sign-off: approved by devtest", data: { stage: "sign-off", outcome: "approved", by: "devtest" } });
      expect(events.at(-1)).toMatchObject({ type: "done", data: { status: "succeeded" } });
    } finally {
      await slowHeartbeats.close();
    }
  });

  it("shows a deployment with its journal, gates, service records and events — never the secret the task definition holds", async () => {
    const [test] = await w.store.runs.list({ environment: "test" });
    const res = await request(w.app).get(`/api/v1/deployments/${test?.id}`).set(bearer(w.keys.reader));
    expect(res.status).toBe(200);
    expectApi("get", "/api/v1/deployments/{id}", 200, res.body);
    const body = res.body as { run: DeploymentRun; journal: unknown[]; gates: { stage: string; decision?: { by: string } }[]; records: { service: string; targetTaskDefinition: string }[]; events: DeploymentEvent[] };
    expect(body.run).toMatchObject({ id: test?.id, status: "succeeded", requestedBy: "admin" });
    expect(body.journal.length).toBeGreaterThan(0);
    expect(body.gates).toEqual([expect.objectContaining({ stage: "sign-off", decision: expect.objectContaining({ outcome: "approved", by: "devtest" }) })]);
    expect(body.records).toEqual([expect.objectContaining({ service: "shop-web", environment: "test", status: "SUCCESSFUL" })]);
    expect(body.events.at(-1)?.type).toBe("done");
    // The registered revision references the secret slipway keeps in Secrets Manager, never its value…
    const td = await w.h.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: body.records[0]?.targetTaskDefinition }));
    expect(td.taskDefinition?.containerDefinitions?.[0]?.secrets).toEqual([{ name: "DB_PASSWORD", valueFrom: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:slipway\/[a-z0-9-]+\/test\/DB_PASSWORD-\w{6}:::[0-9a-f-]{36}$/) }]);
    expect(JSON.stringify(td)).not.toContain(secretValue);
    // …and neither does the answer.
    expect(res.text).not.toContain(secretValue);
    const list = await request(w.app).get("/api/v1/deployments?status=succeeded").set(bearer(w.keys.reader));
    expect(list.text).not.toContain(secretValue);
  });

  it("lists deployments by environment, release and status", async () => {
    const res = await request(w.app).get("/api/v1/deployments?environment=dev&status=succeeded,failed&release=1.0.0").set(bearer(w.keys.reader));
    expect(res.status).toBe(200);
    expectApi("get", "/api/v1/deployments", 200, res.body);
    expect((res.body.items as DeploymentRun[]).map((r) => r.id)).toEqual([dev.id]);
    const bad = await request(w.app).get("/api/v1/deployments?status=done").set(bearer(w.keys.reader));
    expect(bad.status).toBe(400);
    expectApi("get", "/api/v1/deployments", 400, bad.body);
    expect(bad.body.hint).toContain("queued, running, succeeded, failed, aborted, rolled-back, interrupted");
  });

  it("refuses what the lifecycle does not allow yet with 409, and a secret missing from the server's environment with 400 — recording nothing", async () => {
    expect((await request(w.app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version: "1.1.0", images: ["web=1.1.0"] })).status).toBe(201);
    const runs = await w.store.runs.list();
    const early = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.1.0", environment: "prod" });
    expect(early.status).toBe(409);
    expectApi("post", "/api/v1/deployments", 409, early.body);
    expect(early.body.message).toContain("Release 1.1.0 cannot go to prod yet: it has not succeeded in dev, test");
    expect(early.body.hint).toContain("slipway deploy 1.1.0 --to dev");

    const noSecret = await request(w.appWith({ runOptions: { env: {} } })).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.1.0", environment: "dev" });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.message).toContain("Secret variables for dev are not set in this process's environment: DB_PASSWORD from $SLIPWAY_API_TEST_DB_PASSWORD.");
    expect(await w.store.runs.list()).toEqual(runs);
  });

  it("plans a deployment with dryRun: every step's plan, no secret value, nothing recorded or changed; the key's scope is checked first", async () => {
    const runs = await w.store.runs.list();
    const revisions = async () => (await w.h.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "shop-web" }))).taskDefinitionArns;
    const before = await revisions();
    const res = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.1.0", environment: "dev", dryRun: true });
    expect(res.status, res.text).toBe(200);
    expectApi("post", "/api/v1/deployments", 200, res.body);
    expect(res.body).toMatchObject({ release: "1.1.0", environment: "dev", notes: [] });
    expect(res.body.steps.map((s: { step: string; runs: boolean }) => [s.step, s.runs])).toEqual([
      ["web task definition", true],
      ["sign-off", false],
      ["web service", true],
    ]);
    expect(res.body.steps[1].plan).toEqual(["does not run in dev (its environments: test)"]);
    expect(res.body.steps[0].plan).toContainEqual(expect.stringMatching(/^ {2}\+ register a new revision of shop-web for dev/));
    expect(res.body.steps[2].plan).toContain("  + update the service shop-web (to shop-web:(new))");
    expect(res.body.steps[2].plan).toContainEqual(expect.stringMatching(/on failure \(tasks failing to start or to pass health checks\): ECS's circuit breaker rolls the service back to shop-web:\d+$/));
    expect(res.text).not.toContain(secretValue);
    expect(await w.store.runs.list()).toEqual(runs);
    expect(await revisions()).toEqual(before);

    const reader = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.reader)).send({ release: "nope", environment: "dev", dryRun: true });
    expect(reader.status).toBe(403);
    const notBoolean = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.1.0", environment: "dev", dryRun: "true" });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.problems).toEqual([expect.objectContaining({ path: "/dryRun", message: '"dryRun" must be true or false.' })]);
  });

  it("aborts a running deployment with no gate open at its next safe point, and refuses to abort one that ended", async () => {
    // A slow registration: the abort is asked while the first step runs, so a safe point surely lies ahead.
    await w.h.control("PUT", "faults", { latencyMs: 1000, operations: ["ecs:RegisterTaskDefinition"] });
    const run = await deploy("1.1.0", "dev");
    const res = await request(w.app).post(`/api/v1/deployments/${run.id}/abort`).set(bearer(w.keys.devtest)).send({ reason: "wrong build" });
    expect(res.status).toBe(202);
    expectApi("post", "/api/v1/deployments/{id}/abort", 202, res.body);
    expect(res.body).toEqual({ deployment: run.id, abortRequested: true });
    const final = await lastSettled();
    await w.h.control("DELETE", "faults");
    // Stopped before it changed any service: nothing to roll back, so the run is aborted, saying who and why.
    expect(final.status).toBe("aborted");
    expect(final.error?.message).toBe(`Deployment ${run.id} was aborted by devtest (wrong build); nothing had been changed yet.`);
    const audit = await w.store.audit.list({ limit: 100 });
    expect(audit.find((e) => e.action === "deployment.abort")).toMatchObject({ actor: "devtest", environment: "dev", subject: run.id, detail: { requested: true, reason: "wrong build" } });
    const again = await request(w.app).post(`/api/v1/deployments/${run.id}/abort`).set(bearer(w.keys.devtest)).send({});
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`Deployment ${run.id} already ended: aborted.`);
  });

  it("tells an environment's history newest first — who, when, how it ended, and each service's revision before and after", async () => {
    const second = await deploy("1.1.0", "dev");
    expect((await lastSettled()).status).toBe("succeeded");
    const res = await request(w.app).get("/api/v1/environments/dev/history").set(bearer(w.keys.reader));
    expect(res.status).toBe(200);
    expectApi("get", "/api/v1/environments/{environment}/history", 200, res.body);
    const [latest, aborted, first] = res.body.deployments as { deployment: string; release: string; status: string; requestedBy: string; services: { from?: string; to: string }[] }[];
    expect(latest).toMatchObject({ deployment: second.id, release: "1.1.0", status: "succeeded", requestedBy: "admin" });
    expect(aborted).toMatchObject({ release: "1.1.0", status: "aborted", requestedBy: "admin" });
    expect(first).toMatchObject({ deployment: dev.id, release: "1.0.0", status: "succeeded" });
    const before = first?.services[0]?.to;
    expect(before).toMatch(/^shop-web:\d+$/);
    expect(latest?.services).toEqual([expect.objectContaining({ service: "shop-web", from: expect.stringMatching(/^shop-web:\d+$/), to: expect.stringMatching(/^shop-web:\d+$/), status: "SUCCESSFUL" })]);
    expect(latest?.services[0]?.to).not.toBe(before);

    const unknown = await request(w.app).get("/api/v1/environments/staging/history").set(bearer(w.keys.reader));
    expect(unknown.status).toBe(404);
    expectApi("get", "/api/v1/environments/{environment}/history", 404, unknown.body);
  });

  it("tells the project's status: what runs where", async () => {
    const res = await request(w.app).get("/api/v1/status").set(bearer(w.keys.reader));
    expect(res.status).toBe(200);
    expectApi("get", "/api/v1/status", 200, res.body);
    const status = res.body as { environments: { name: string; current?: { release: string } }[] };
    expect(status.environments.map((e) => [e.name, e.current?.release])).toEqual([
      ["dev", "1.1.0"],
      ["test", "1.0.0"],
      ["prod", undefined],
    ]);
  });
  it("records a deployment a person aborted at its gate as aborted, saying who", async () => {
    const run = await deploy("1.1.0", "test");
    for (let i = 0; i < 200 && !(await w.store.approvals.list({ open: true })).some((g) => g.deploymentId === run.id); i += 1) await new Promise((r) => setTimeout(r, 25));
    const res = await request(w.app).post(`/api/v1/deployments/${run.id}/abort`).set(bearer(w.keys.devtest)).send({ stage: "sign-off", reason: "not today" });
    expect(res.status, res.text).toBe(200);
    const final = await lastSettled();
    expect(final).toMatchObject({ id: run.id, status: "aborted" });
    expect(final.error?.message).toContain("aborted by devtest");
  });

});
