import { rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { succeededResult } from "../../src/engine/journal.js";
import type { Store } from "../../src/engine/store.js";
import { ConflictError, InputError, NotFoundError, type SlipwayError } from "../../src/errors.js";
import type { OpenStoreOptions } from "../../src/storage/open-store.js";
import type { SqlDatabase } from "../../src/storage/sql/database.js";
import { migrate, migrations } from "../../src/storage/sql/migrations.js";
import { PgliteDatabase } from "../../src/storage/sql/pglite-database.js";
import { PostgresDatabase } from "../../src/storage/sql/postgres-database.js";
import { storeBackends, tempStateDir, uniqueProject } from "./store-backends.js";

const key = { environment: "prod", service: "shop-web" };
const snapshot = { steps: [], variables: { default: { REGION: "eu-west-1" } } };

async function rejection(promise: Promise<unknown>): Promise<SlipwayError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error("expected a rejection");
  return outcome as SlipwayError;
}

for (const backend of storeBackends()) {
  describe.skipIf(!backend.available)(`the store on ${backend.name}`, () => {
    let raw: SqlDatabase;
    const open: Store[] = [];
    // Kept open for the whole file: the embedded database then stays open between tests, as in one long command.
    beforeAll(async () => {
      raw = await backend.database();
    });
    afterAll(async () => {
      await raw?.close();
      backend.cleanUp();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    async function storeOf(project: string, extra?: Partial<OpenStoreOptions>): Promise<Store> {
      const store = await backend.open(project, extra);
      open.push(store);
      return store;
    }

    it("migrates once: opening again applies nothing and keeps the data", async () => {
      const project = uniqueProject("migrate");
      const first = await storeOf(project);
      await first.audit.record({ actor: "cli:ana", action: "test", subject: "x" });
      await first.close();
      const second = await storeOf(project);
      expect(second.location).toMatch(/^(embedded PGlite at .*db|PostgreSQL at [^@]+:\d+\/\w+)$/);
      if (backend.databaseUrl) expect(second.location).not.toContain(new URL(backend.databaseUrl).password);
      expect(await migrate(raw)).toEqual([]);
      const applied = await raw.query<{ id: number }>("select id from slipway_migrations order by id");
      expect(applied.map((r) => Number(r.id))).toEqual(migrations.map((m) => m.id));
      expect(await second.audit.list()).toHaveLength(1);
    });

    it("refuses a NUL character as bad input, looking up or storing, and stays usable", async () => {
      const store = await storeOf(uniqueProject("nul"));
      await expect(store.releases.get("1.0.0\u0000")).rejects.toBeInstanceOf(InputError);
      await expect(store.audit.record({ actor: "cli:ana", action: "test", subject: "a\u0000b" })).rejects.toThrow("NUL character");
      expect(await store.audit.list()).toEqual([]);
    });

    it("numbers a deployment's journal from 1 in order, and a reopened store carries on (resume)", async () => {
      const project = uniqueProject("journal");
      const store = await storeOf(project);
      const entry = (step: string, phase: "started" | "succeeded", result?: unknown) => ({ deploymentId: "dep-1", step, actionKey: `${step}-key`, actionKind: "ecs", phase, summary: `${step} ${phase}`, ...(result !== undefined && { result }) });
      expect((await store.journal.append(entry("canary", "started"))).seq).toBe(1);
      expect((await store.journal.append(entry("canary", "succeeded", { taskSetArn: "arn:ts/1" }))).seq).toBe(2);
      expect((await store.journal.append({ ...entry("other", "started"), deploymentId: "dep-2" })).seq).toBe(1);
      await store.close();

      const resumed = await storeOf(project);
      const entries = await resumed.journal.entries("dep-1");
      expect(entries.map((e) => [e.seq, e.step, e.phase])).toEqual([
        [1, "canary", "started"],
        [2, "canary", "succeeded"],
      ]);
      expect(entries[0]).not.toHaveProperty("result");
      expect(succeededResult(entries, "canary", "canary-key")).toEqual({ found: true, result: { taskSetArn: "arn:ts/1" } });
      expect((await resumed.journal.append(entry("traffic", "started"))).seq).toBe(3);
      // Appends racing for one deployment still get distinct, gapless numbers.
      const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => resumed.journal.append(entry(`step-${i}`, "started"))));
      expect(racing.map((e) => e.seq).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
      expect(await (await storeOf(uniqueProject("journal-other"))).journal.entries("dep-1")).toEqual([]);
      expect(await rejection(resumed.journal.entries("a/b"))).toBeInstanceOf(InputError);
    });

    it("approvals: opening twice returns the first gate; approvers, unknown gates and decided gates are refused", async () => {
      const store = await storeOf(uniqueProject("gates"));
      const gate = { deploymentId: "dep-1", stage: "canary 10%", summary: "canary at 10%", approvers: ["ana", "bo"], timeoutSeconds: 600 };
      const opened = await store.approvals.open(gate);
      expect(opened).toMatchObject({ ...gate, openedAt: expect.any(String), expiresAt: expect.any(String) });
      expect(opened).not.toHaveProperty("decision");
      expect(await store.approvals.open({ ...gate, summary: "changed" })).toEqual(opened);
      expect(await store.approvals.list({ open: true })).toEqual([opened]);

      const notApprover = await rejection(store.approvals.decide({ deploymentId: "dep-1", verdict: "approved", by: "eve" }));
      expect(notApprover).toBeInstanceOf(InputError);
      expect(notApprover.hint).toBe("Its approvers are: ana, bo. Say who you are with --as <name>.");
      expect(await rejection(store.approvals.decide({ deploymentId: "dep-9", verdict: "approved", by: "ana" }))).toBeInstanceOf(ConflictError);
      const wrongStage = await rejection(store.approvals.decide({ deploymentId: "dep-1", stage: "nope", verdict: "approved", by: "ana" }));
      expect(wrongStage).toBeInstanceOf(ConflictError);
      expect(wrongStage.hint).toBe("Its gates are: canary 10%.");

      const decision = await store.approvals.decide({ deploymentId: "dep-1", verdict: "approved", by: "ana", login: "ana.k", reason: "flat error rate" });
      expect(decision).toMatchObject({ outcome: "approved", by: "ana", login: "ana.k", reason: "flat error rate" });
      expect((await store.approvals.get(gate))?.decision).toEqual(decision);
      const late = await rejection(store.approvals.decide({ deploymentId: "dep-1", verdict: "aborted", by: "bo" }));
      expect(late).toBeInstanceOf(ConflictError);
      expect(late.message).toBe(`The gate "canary 10%" of deployment dep-1 was already decided: approved by ana at ${decision.at}: flat error rate.`);
      expect(await store.approvals.expire(gate)).toEqual(decision);
      expect(await store.approvals.list({ open: true })).toEqual([]);
      expect(await store.approvals.list()).toHaveLength(1);
    });

    it("approvals: of two deciders at once exactly one wins, and the other is told who decided first", async () => {
      const project = uniqueProject("race");
      // Two stores: on PostgreSQL, two connection pools, as two `slipway approve` processes would have.
      const [one, two] = [await storeOf(project), await storeOf(project)];
      for (let round = 0; round < 5; round++) {
        const stage = `gate ${round}`;
        await one.approvals.open({ deploymentId: "dep-1", stage, summary: "go?" });
        const outcomes = await Promise.allSettled([
          one.approvals.decide({ deploymentId: "dep-1", stage, verdict: "approved", by: "ana" }),
          two.approvals.decide({ deploymentId: "dep-1", stage, verdict: "aborted", by: "bo" }),
        ]);
        const won = outcomes.filter((o) => o.status === "fulfilled");
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const winner = (won[0] as PromiseFulfilledResult<{ by: string }>).value.by;
        expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
        expect((lost[0]?.reason as Error).message).toContain(`by ${winner} at`);
        expect((await two.approvals.get({ deploymentId: "dep-1", stage }))?.decision?.by).toBe(winner);
      }
    });

    it("approvals: a gate past its timeout expires as timed out, and a decision after that is refused", async () => {
      let now = new Date("2030-01-01T00:00:00.000Z");
      const store = await storeOf(uniqueProject("timeout"), { now: () => now });
      const gate = await store.approvals.open({ deploymentId: "dep-1", stage: "prod", summary: "go?", timeoutSeconds: 60 });
      expect(gate.expiresAt).toBe("2030-01-01T00:01:00.000Z");
      now = new Date("2030-01-01T00:02:00.000Z");
      const late = await rejection(store.approvals.decide({ deploymentId: "dep-1", verdict: "approved", by: "ana" }));
      expect(late).toBeInstanceOf(ConflictError);
      expect(late.message).toContain("timed out by slipway");
      expect(await store.approvals.expire(gate)).toMatchObject({ outcome: "timed-out", by: "slipway", reason: "no decision within 60s", at: "2030-01-01T00:02:00.000Z" });
    });

    it("releases never change: a second create is a ConflictError, and the database refuses UPDATE and DELETE", async () => {
      const project = uniqueProject("releases");
      const store = await storeOf(project);
      const created = await store.releases.create({ project, version: "1.2.0", channel: "stable", createdBy: "cli:ana", notes: "first", snapshot });
      await store.releases.create({ project, version: "1.3.0", channel: "stable", createdBy: "cli:ana", snapshot });
      expect(created).toMatchObject({ project, version: "1.2.0", notes: "first", snapshot });
      expect(await store.releases.get("1.2.0")).toEqual(created);
      expect((await store.releases.list()).map((r) => r.version)).toEqual(["1.3.0", "1.2.0"]);

      const again = await rejection(store.releases.create({ project, version: "1.2.0", channel: "stable", createdBy: "cli:bo", snapshot: { steps: [], variables: {} } }));
      expect(again).toBeInstanceOf(ConflictError);
      expect(again.message).toMatch(/^Release 1\.2\.0 already exists/);
      expect(again.hint).toMatch(/Create a new version/);
      await expect(raw.query("update releases set notes = 'changed' where project = $1 and version = '1.2.0'", [project])).rejects.toThrow(/immutable/);
      await expect(raw.query("delete from releases where project = $1", [project])).rejects.toThrow(/immutable/);
      expect(await store.releases.get("1.2.0")).toEqual(created);
      expect(await (await storeOf(uniqueProject("releases-other"))).releases.list()).toEqual([]);
    });

    it("deployment runs: queued, running, merged outputs, endedAt stamped on a final status, abort requests", async () => {
      const project = uniqueProject("runs");
      const store = await storeOf(project);
      await store.releases.create({ project, version: "1.0.0", channel: "stable", createdBy: "cli:ana", snapshot });
      expect(await rejection(store.runs.create({ id: "run-x", release: "9.9.9", environment: "dev", requestedBy: "cli:ana" }))).toBeInstanceOf(NotFoundError);
      const run = await store.runs.create({ id: "run-1", release: "1.0.0", environment: "dev", requestedBy: "cli:ana" });
      expect(run).toMatchObject({ id: "run-1", project, status: "queued", outputs: {} });
      expect(run).not.toHaveProperty("endedAt");
      expect(await rejection(store.runs.create({ id: "run-1", release: "1.0.0", environment: "dev", requestedBy: "cli:ana" }))).toBeInstanceOf(ConflictError);
      await store.runs.create({ id: "run-2", release: "1.0.0", environment: "test", requestedBy: "cli:bo" });

      const running = await store.runs.update("run-1", { status: "running", startedAt: "2030-01-01T00:00:00.000Z", runner: { pid: 42, host: "box" }, outputs: { taskdef: { arn: "td:1" } } });
      expect(running).toMatchObject({ status: "running", startedAt: "2030-01-01T00:00:00.000Z", runner: { pid: 42, host: "box" } });
      expect(running).not.toHaveProperty("endedAt");
      const done = await store.runs.update("run-1", { status: "succeeded", outputs: { service: { deployment: "ecs-svc/1" } } });
      expect(done.outputs).toEqual({ taskdef: { arn: "td:1" }, service: { deployment: "ecs-svc/1" } });
      expect(done.endedAt).toEqual(expect.any(String));
      expect(await store.runs.get("run-1")).toEqual(done);

      expect((await store.runs.list()).map((r) => r.id)).toEqual(["run-2", "run-1"]);
      expect((await store.runs.list({ environment: "test" })).map((r) => r.id)).toEqual(["run-2"]);
      expect((await store.runs.list({ status: ["succeeded", "failed"] })).map((r) => r.id)).toEqual(["run-1"]);
      expect((await store.runs.list({ release: "1.0.0", limit: 1 })).map((r) => r.id)).toEqual(["run-2"]);

      expect(await store.runs.abortRequested("run-2")).toBeUndefined();
      await store.runs.requestAbort("run-2", { by: "cli:bo", reason: "error rate up" });
      await store.runs.requestAbort("run-2", { by: "cli:ana" });
      expect(await store.runs.abortRequested("run-2")).toEqual({ by: "cli:bo", reason: "error rate up", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      const failed = await store.runs.update("run-2", { status: "failed", error: { message: "circuit breaker tripped", hint: "see events" } });
      expect(failed).toMatchObject({ status: "failed", error: { message: "circuit breaker tripped", hint: "see events" }, endedAt: expect.any(String) });
      expect(await rejection(store.runs.update("nope", { status: "running" }))).toBeInstanceOf(NotFoundError);
    });

    it("deployment runs: a deployment of a release by default; a rollback keeps its service, ECS deployment, from and to, claiming a release only when one is known", async () => {
      const project = uniqueProject("rollbacks");
      const store = await storeOf(project);
      for (const version of ["1.0.0", "1.1.0"]) await store.releases.create({ project, version, channel: "stable", createdBy: "cli:ana", snapshot });
      const deploy = await store.runs.create({ id: "run-1", release: "1.1.0", environment: "dev", requestedBy: "cli:ana" });
      expect(deploy).toMatchObject({ kind: "deploy", release: "1.1.0" });
      expect(deploy).not.toHaveProperty("rollback");
      // A row written as before this kind existed (no kind given) is a deployment of its release.
      await raw.query("insert into deployment_runs (project, id, release, environment, status, requested_by) values ($1, 'run-0', '1.0.0', 'dev', 'succeeded', 'cli:old')", [project]);
      expect(await store.runs.get("run-0")).toMatchObject({ kind: "deploy", release: "1.0.0" });

      const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:${revision}`;
      const change = { service: "shop-web", cluster: "shop-dev", ecsDeploymentId: "ecs-svc/2", from: { taskDefinition: td(2), release: "1.1.0" }, to: { taskDefinition: td(1), release: "1.0.0" } };
      const rollback = await store.runs.create({ kind: "rollback", id: "rb-1", environment: "dev", requestedBy: "cli:bo", rollback: change });
      expect(rollback).toMatchObject({ kind: "rollback", release: "1.0.0", status: "queued", requestedBy: "cli:bo", rollback: change, outputs: {} });
      const started = await store.runs.update("rb-1", { status: "running", startedAt: "2030-01-01T00:00:00.000Z", runner: { pid: 42, host: "box" } });
      const done = await store.runs.update("rb-1", { status: "succeeded" });
      expect(done).toMatchObject({ ...started, status: "succeeded", endedAt: expect.any(String) });
      expect(await store.runs.get("rb-1")).toEqual(done);

      // Neither the store nor a tag knew the revisions' releases: nothing is claimed, on the run or its change.
      const unknown = await store.runs.create({ kind: "rollback", id: "rb-2", environment: "dev", requestedBy: "cli:bo", rollback: { ...change, from: { taskDefinition: td(1) }, to: { taskDefinition: td(7) } } });
      expect(unknown).not.toHaveProperty("release");
      expect(unknown.kind === "rollback" && unknown.rollback).toEqual({ ...change, from: { taskDefinition: td(1) }, to: { taskDefinition: td(7) } });
      expect((await store.runs.list({ environment: "dev" })).map((r) => `${r.id} ${r.kind}`)).toEqual(["rb-2 rollback", "rb-1 rollback", "run-0 deploy", "run-1 deploy"]);
      expect((await store.runs.list({ release: "1.0.0" })).map((r) => r.id)).toEqual(["rb-1", "run-0"]);
      // A release the project does not have is refused as for a deployment of it.
      expect(await rejection(store.runs.create({ kind: "rollback", id: "rb-3", environment: "dev", requestedBy: "cli:bo", rollback: { ...change, to: { taskDefinition: td(1), release: "9.9.9" } } }))).toBeInstanceOf(NotFoundError);

      // The database keeps the two shapes apart, whoever writes.
      await expect(raw.query("insert into deployment_runs (project, id, kind, environment, status, requested_by) values ($1, 'bad-1', 'rollback', 'dev', 'queued', 'x')", [project])).rejects.toThrow(/deployment_runs_kind_fields/);
      await expect(raw.query("insert into deployment_runs (project, id, environment, status, requested_by) values ($1, 'bad-2', 'dev', 'queued', 'x')", [project])).rejects.toThrow(/deployment_runs_kind_fields/);
      await expect(raw.query("insert into deployment_runs (project, id, kind, release, environment, status, requested_by) values ($1, 'bad-3', 'redeploy', '1.0.0', 'dev', 'queued', 'x')", [project])).rejects.toThrow(/check/);
    });

    it("leases: a held lock is a ConflictError for anyone else (this process too) until it is released", async () => {
      const project = uniqueProject("lease");
      const [one, two] = [await storeOf(project), await storeOf(project)];
      const held = await one.locks.acquire(key, "dep-1");
      expect(held.holder).toMatchObject({ deploymentId: "dep-1", pid: process.pid, host: hostname() });
      const busy = await rejection(two.locks.acquire(key, "dep-2"));
      expect(busy).toBeInstanceOf(ConflictError);
      expect(busy.message).toMatch(/^shop-web in prod is being deployed by deployment dep-1 \(pid \d+ on .+\): slipway runs one deployment of a service at a time\.$/);
      expect(busy.hint).toContain("`slipway approve dep-1`");
      expect(await rejection(one.locks.acquire(key, "dep-1"))).toBeInstanceOf(ConflictError);
      // Another service, or another project's same service, is not held up.
      await (await two.locks.acquire({ environment: "prod", service: "shop-api" }, "dep-3")).release();
      await (await (await storeOf(uniqueProject("lease-other"))).locks.acquire(key, "dep-4")).release();
      await held.release();
      await held.release();
      await (await two.locks.acquire(key, "dep-2")).release();
    });

    it("leases: an expired lease is taken over, and says from whom; an unexpired one elsewhere is waited for", async () => {
      const project = uniqueProject("expired");
      const store = await storeOf(project);
      const plant = (expiresIn: string) =>
        raw.query(`insert into deployment_leases (project, environment, service, deployment_id, pid, host, started_at, expires_at) values ($1, 'prod', 'shop-web', 'dep-old', 4242, 'elsewhere', now() - interval '1 hour', now() + interval '${expiresIn}')`, [project]);
      await plant("1 minute");
      const busy = await rejection(store.locks.acquire(key, "dep-new"));
      expect(busy).toBeInstanceOf(ConflictError);
      expect(busy.hint).toContain("It runs on another machine, so slipway cannot tell whether it is still alive: if it is not, its lease runs out at");
      await raw.query("delete from deployment_leases where project = $1", [project]);
      await plant("-1 second");
      const held = await store.locks.acquire(key, "dep-new");
      expect(held.takenOverFrom).toMatchObject({ deploymentId: "dep-old", pid: 4242, host: "elsewhere" });
      expect(held.holder.deploymentId).toBe("dep-new");
      await held.release();
    });

    it("leases: renewal keeps a lease alive past its ttl; a dead holder on this host is taken over at once", async () => {
      const project = uniqueProject("renew");
      // A holder "elsewhere" can only lose its lease by expiry: it stays held only because it is renewed (every
      // 300 ms here, so a loaded machine stalling this process for less than 600 ms does not lose it).
      const renewing = await storeOf(project, { leases: { ttlMs: 900, host: "elsewhere" } });
      const other = await storeOf(project);
      const held = await renewing.locks.acquire(key, "dep-1");
      await sleep(1200);
      expect(await rejection(other.locks.acquire(key, "dep-2"))).toBeInstanceOf(ConflictError);
      await held.release();
      await (await other.locks.acquire(key, "dep-2")).release();

      const dead = await storeOf(project, { leases: { pid: 4242 } });
      const next = await storeOf(project, { leases: { isAlive: (pid) => pid !== 4242 } });
      const old = await dead.locks.acquire(key, "dep-3");
      const taken = await next.locks.acquire(key, "dep-4");
      expect(taken.takenOverFrom).toMatchObject({ deploymentId: "dep-3", pid: 4242 });
      // The old holder letting go (it was thought dead) leaves the new holder's lease alone.
      await old.release();
      expect(await raw.query("select deployment_id from deployment_leases where project = $1", [project])).toEqual([{ deployment_id: "dep-4" }]);
      await taken.release();
      expect(await raw.query("select deployment_id from deployment_leases where project = $1", [project])).toEqual([]);
    });

    it("events: ids increase across the store, and since() resumes after the last id seen", async () => {
      const store = await storeOf(uniqueProject("events"));
      const a1 = await store.events.append({ deploymentId: "dep-a", type: "note", message: "one" });
      const b1 = await store.events.append({ deploymentId: "dep-b", type: "status", message: "two", data: { running: 2 } });
      const a2 = await store.events.append({ deploymentId: "dep-a", type: "done", message: "three", data: { status: "succeeded" } });
      expect(a1.id).toBeLessThan(b1.id);
      expect(b1.id).toBeLessThan(a2.id);
      expect(a1).not.toHaveProperty("data");
      expect(await store.events.since("dep-a")).toEqual([a1, a2]);
      expect(await store.events.since("dep-a", a1.id)).toEqual([a2]);
      expect(await store.events.since("dep-b", b1.id)).toEqual([]);
    });

    it("api keys: names are unique in a project, lookup by hash finds live keys only", async () => {
      const store = await storeOf(uniqueProject("keys"));
      const scopes = { read: true, createReleases: false, deploy: ["dev"], approve: [] };
      const key1 = await store.keys.create({ id: "k1", name: "ci", secretHash: "hash-1", scopes });
      expect(key1).toMatchObject({ id: "k1", name: "ci", scopes, createdAt: expect.any(String) });
      expect(await store.keys.findByHash("hash-1")).toEqual(key1);
      const taken = await rejection(store.keys.create({ id: "k2", name: "ci", secretHash: "hash-2", scopes }));
      expect(taken).toBeInstanceOf(ConflictError);
      expect(taken.message).not.toContain("hash");
      await store.keys.revoke("ci");
      await store.keys.revoke("ci");
      expect(await store.keys.findByHash("hash-1")).toBeUndefined();
      expect((await store.keys.list())[0]?.revokedAt).toEqual(expect.any(String));
      expect(await rejection(store.keys.revoke("nobody"))).toBeInstanceOf(NotFoundError);
    });

    it("audit log and deployment records: newest first, kept per project and service", async () => {
      const store = await storeOf(uniqueProject("audit"));
      await store.audit.record({ actor: "cli:ana", action: "release.create", subject: "1.0.0", detail: { channel: "stable" } });
      const second = await store.audit.record({ actor: "ci", action: "deployment.create", environment: "dev", subject: "run-1" });
      expect(await store.audit.list({ limit: 1 })).toEqual([second]);
      expect((await store.audit.list()).map((e) => e.action)).toEqual(["deployment.create", "release.create"]);

      const record = { deploymentId: "dep-1", kind: "deploy" as const, environment: "prod", cluster: "main", service: "web", mode: "rolling", targetTaskDefinition: "td:1", startedAt: "2030-01-01T00:00:00.000Z", endedAt: "2030-01-01T00:05:00.000Z", status: "SUCCESSFUL" as const, circuitBreaker: { enabled: true, rollback: true, tripped: false }, failedTasks: 0 };
      await store.records.append(record);
      await store.records.append({ ...record, deploymentId: "dep-2", targetTaskDefinition: "td:2" });
      await store.records.append({ ...record, deploymentId: "dep-3", service: "api" });
      expect((await store.records.list({ environment: "prod", cluster: "main", service: "web" })).map((r) => r.deploymentId)).toEqual(["dep-2", "dep-1"]);
      expect(store.records.location).toBe(store.location);
    });
  });
}

describe("a store made before rollbacks were recorded", () => {
  it("migrates to rollback runs keeping every run it had a deployment of its release", async () => {
    const dir = tempStateDir();
    const db = await PgliteDatabase.open(join(dir, "db"));
    try {
      // The store as slipway left it before migration 3: migrations 1 and 2 applied, one run recorded.
      await db.query("create table slipway_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())");
      for (const migration of migrations.filter((m) => m.id < 3)) {
        for (const statement of migration.statements) await db.query(statement);
        await db.query("insert into slipway_migrations (id, name) values ($1, $2)", [migration.id, migration.name]);
      }
      await db.query("insert into releases (project, version, channel, created_by, snapshot) values ('shop', '1.0.0', 'stable', 'cli:ana', '{}')");
      await db.query("insert into deployment_runs (project, id, release, environment, status, requested_by) values ('shop', 'run-1', '1.0.0', 'dev', 'succeeded', 'cli:ana')");
      expect(await migrate(db)).toEqual(migrations.filter((m) => m.id >= 3).map((m) => m.id));
      expect(await db.query("select id, kind, release, rollback from deployment_runs where project = 'shop'")).toEqual([{ id: "run-1", kind: "deploy", release: "1.0.0", rollback: null }]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a DATABASE_URL that leads nowhere", () => {
  it("is bad input naming the server, never the password", async () => {
    const error = await rejection(PostgresDatabase.connect("postgres://slipway:sekret-pw@127.0.0.1:1/shop"));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Cannot use the PostgreSQL at 127\.0\.0\.1:1\/shop: /);
    expect(error.hint).toContain("Check DATABASE_URL");
    expect(`${error.message} ${error.hint}`).not.toContain("sekret-pw");
  });
});
