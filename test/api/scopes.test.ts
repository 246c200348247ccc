import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../../src/api/keys.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { bearer, eventually, startApiWorld, type ApiWorld } from "./api-world.js";
import { expectApi } from "./openapi.js";

/** Deploys as the admin key and waits for the run to end (or, with `untilGate`, to wait at its gate). */
async function deployAs(w: ApiWorld, environment: string, options: { untilGate?: boolean } = {}): Promise<DeploymentRun> {
  const res = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release: "1.0.0", environment });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const run = res.body as DeploymentRun;
  if (options.untilGate) {
    await eventually(`a gate of ${run.id}`, async () => ((await w.store.approvals.list({ open: true })).some((g) => g.deploymentId === run.id) ? true : undefined));
    return run;
  }
  const final = await (w.settled.at(-1) as Promise<DeploymentRun | undefined>);
  expect(final?.status, JSON.stringify(final?.error)).toBe("succeeded");
  return final as DeploymentRun;
}

describe("API keys and their scopes", () => {
  let w: ApiWorld;
  let prod: DeploymentRun;
  beforeAll(async () => {
    w = await startApiWorld({ gateIn: ["prod"] });
    expect((await request(w.app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version: "1.0.0" })).status).toBe(201);
    await deployAs(w, "dev");
    await deployAs(w, "test");
    prod = await deployAs(w, "prod", { untilGate: true });
  });
  afterAll(() => w.close());

  it("refuses a request without a key, with an unknown key or a revoked one with 401, and serves its document to anyone", async () => {
    const none = await request(w.app).get("/api/v1/releases");
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="slipway"');
    expect(none.body).toMatchObject({ error: "unauthorized", message: "This API needs a key." });
    expectApi("get", "/api/v1/releases", 401, none.body);
    expect((await request(w.app).get("/api/v1/releases").set(bearer("slw_not-a-key-anyone-has"))).status).toBe(401);
    expect((await request(w.app).get("/api/v1/releases").set("authorization", `Basic ${w.keys.admin}`)).status).toBe(401);

    const { secret } = await createApiKey(w.store, { name: "leaving", scopes: { read: true, createReleases: false, deploy: [], approve: [] } }, "cli:test");
    expect((await request(w.app).get("/api/v1/releases").set(bearer(secret))).status).toBe(200);
    await revokeApiKey(w.store, "leaving", "cli:test");
    const revoked = await request(w.app).get("/api/v1/releases").set(bearer(secret));
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toContain("unknown, or it was revoked");

    expect((await request(w.app).get("/openapi.json")).status).toBe(200);
  });

  it("refuses reading without the read scope, and creating a release without createReleases: 403 naming the scope, nothing created", async () => {
    const read = await request(w.app).get("/api/v1/releases").set(bearer(w.keys.releaser));
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ error: "forbidden", scope: "read" });
    expectApi("get", "/api/v1/releases", 403, read.body);

    const audited = await w.store.audit.list({ limit: 1000 });
    const create = await request(w.app).post("/api/v1/releases").set(bearer(w.keys.reader)).send({ version: "2.0.0" });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ error: "forbidden", scope: "createReleases", message: 'The key "reader" may not create releases: it lacks the createReleases scope.' });
    expectApi("post", "/api/v1/releases", 403, create.body);
    expect(await w.store.releases.get("2.0.0")).toBeUndefined();
    expect(await w.store.audit.list({ limit: 1000 })).toEqual(audited);
  });

  it("refuses a dev/test key deploying to prod with 403 — no run, no lock, no audit write — and lets it deploy to test", async () => {
    const runs = await w.store.runs.list();
    const audited = await w.store.audit.list({ limit: 1000 });
    const refused = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.devtest)).send({ release: "1.0.0", environment: "prod" });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: "forbidden",
      message: 'The key "devtest" may not deploy to prod: its deploy scope covers dev, test.',
      hint: "Use a key whose deploy scope includes prod (`slipway keys create <name> --deploy prod`).",
      scope: "deploy:prod",
    });
    expectApi("post", "/api/v1/deployments", 403, refused.body);
    expect(await w.store.runs.list()).toEqual(runs);
    expect(await w.store.audit.list({ limit: 1000 })).toEqual(audited);

    const allowed = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.devtest)).send({ release: "1.0.0", environment: "test" });
    expect(allowed.status).toBe(202);
    expectApi("post", "/api/v1/deployments", 202, allowed.body);
    expect(allowed.body).toMatchObject({ release: "1.0.0", environment: "test", requestedBy: "devtest" });
    expect(allowed.headers.location).toBe(`/api/v1/deployments/${allowed.body.id as string}`);
    expect((await w.settled.at(-1))?.status).toBe("succeeded");
  });

  it("refuses a dev/test key approving or aborting in prod with 403 and leaves the gate open; a prod approver's decision goes through", async () => {
    const audited = await w.store.audit.list({ limit: 1000 });
    for (const verdict of ["approve", "abort"]) {
      const refused = await request(w.app).post(`/api/v1/deployments/${prod.id}/${verdict}`).set(bearer(w.keys.devtest)).send({ reason: "trying" });
      expect(refused.status).toBe(403);
      expect(refused.body.scope).toBe("approve:prod");
      expectApi("post", `/api/v1/deployments/{id}/${verdict}`, 403, refused.body);
    }
    expect((await w.store.approvals.get({ deploymentId: prod.id, stage: "sign-off" }))?.decision).toBeUndefined();
    expect(await w.store.audit.list({ limit: 1000 })).toEqual(audited);
    expect((await w.store.runs.abortRequested(prod.id)) ?? null).toBeNull();

    const approved = await request(w.app).post(`/api/v1/deployments/${prod.id}/approve`).set(bearer(w.keys.admin)).send({ reason: "release notes checked" });
    expect(approved.status).toBe(200);
    expectApi("post", "/api/v1/deployments/{id}/approve", 200, approved.body);
    expect(approved.body).toMatchObject({ deployment: prod.id, decision: { stage: "sign-off", outcome: "approved", by: "admin", reason: "release notes checked" } });

    // Countermanding a person's approval is the approver's to do: a key that may deploy to prod but not approve there may not.
    const deployer = (await createApiKey(w.store, { name: "prod-deployer", scopes: { read: true, createReleases: false, deploy: ["prod"], approve: [] } }, "cli:test")).secret;
    const countermand = await request(w.app).post(`/api/v1/deployments/${prod.id}/abort`).set(bearer(deployer)).send({ reason: "changed my mind" });
    expect(countermand.status).toBe(403);
    expect(countermand.body.scope).toBe("approve:prod");
    expect((await w.store.runs.abortRequested(prod.id)) ?? null).toBeNull();

    const again = await request(w.app).post(`/api/v1/deployments/${prod.id}/abort`).set(bearer(w.keys.admin)).send({ stage: "sign-off" });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('The gate "sign-off" of deployment');
    expectApi("post", "/api/v1/deployments/{id}/abort", 409, again.body);

    const final = await eventually("the prod deployment to end", async () => {
      const run = await w.store.runs.get(prod.id);
      return run && run.status !== "running" && run.status !== "queued" ? run : undefined;
    });
    expect(final.status).toBe("succeeded");
  });

  it("tells a key nothing about what exists where it may not deploy or decide: 403 whether or not the release or deployment is there", async () => {
    for (const release of ["9.9.9", "1.0.0"]) {
      const res = await request(w.app).post("/api/v1/deployments").set(bearer(w.keys.devtest)).send({ release, environment: "prod" });
      expect(res.status, release).toBe(403);
      expect(res.body.scope).toBe("deploy:prod");
    }
    for (const id of ["nope", prod.id]) {
      const res = await request(w.app).post(`/api/v1/deployments/${id}/approve`).set(bearer(w.keys.releaser)).send({});
      expect(res.status, id).toBe(403);
    }
    // A key that approves in dev only, without read: a prod deployment and an id nobody made get one answer,
    // word for word but for the id, so the key cannot tell which exists or where it runs.
    const devApprover = (await createApiKey(w.store, { name: "dev-approver", scopes: { read: false, createReleases: false, deploy: [], approve: ["dev"] } }, "cli:test")).secret;
    for (const verdict of ["approve", "abort"]) {
      const answers = [];
      for (const id of ["release-prod-9.9.9-20990101000000-000000", prod.id]) {
        const res = await request(w.app).post(`/api/v1/deployments/${id}/${verdict}`).set(bearer(devApprover)).send({});
        expect(res.status, `${verdict} ${id}`).toBe(403);
        expectApi("post", `/api/v1/deployments/{id}/${verdict}`, 403, res.body);
        answers.push({ ...res.body, message: (res.body.message as string).replace(id, "<id>") });
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]).toMatchObject({ scope: "read", message: expect.stringContaining("only deployments in dev") });
      expect(JSON.stringify(answers[0])).not.toContain("prod");
    }
    // In its own environment it is answered as anyone: a deployment that waits at no gate is a conflict, not missing.
    const [dev] = await w.store.runs.list({ environment: "dev" });
    const noGate = await request(w.app).post(`/api/v1/deployments/${dev?.id}/approve`).set(bearer(devApprover)).send({});
    expect(noGate.status).toBe(409);
    expect(noGate.body.message).toBe(`Deployment ${dev?.id} has no approval gate.`);
    expectApi("post", "/api/v1/deployments/{id}/approve", 409, noGate.body);
  });

  it("records every write with the name of the key that made it, and never a secret", async () => {
    const entries = await w.store.audit.list({ limit: 1000 });
    const writes = entries.filter((e) => e.action !== "key.create" && e.action !== "key.revoke").map((e) => ({ actor: e.actor, action: e.action, environment: e.environment }));
    expect(writes).toEqual(
      expect.arrayContaining([
        { actor: "admin", action: "release.create", environment: undefined },
        { actor: "admin", action: "deployment.create", environment: "dev" },
        { actor: "admin", action: "deployment.create", environment: "test" },
        { actor: "admin", action: "deployment.create", environment: "prod" },
        { actor: "devtest", action: "deployment.create", environment: "test" },
        { actor: "admin", action: "deployment.approve", environment: "prod" },
      ]),
    );
    expect(writes).toHaveLength(6);
    const approval = entries.find((e) => e.action === "deployment.approve");
    expect(approval).toMatchObject({ subject: prod.id, detail: { stage: "sign-off", reason: "release notes checked" } });
    const text = JSON.stringify(entries);
    for (const secret of Object.values(w.keys)) expect(text).not.toContain(secret);
  });
});
