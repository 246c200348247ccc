import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../../src/aws/clients.js";
import { ElbListenerRules } from "../../src/aws/listener-rules.js";
import { loadProject } from "../../src/config/load.js";
import { loadProjectProcess } from "../../src/config/load-process.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import type { LiveDeployment } from "../../src/api/views/live.js";
import { bearer, eventually, startApiWorld, type ApiWorld } from "./api-world.js";
import { expectApi } from "./openapi.js";

/** A canary with header-routed verification and an approval: what GET /deployments/{id}/live is for. */
const canaryStep = [
  "service: shop-web",
  "mode: canary",
  "desiredCount: 2",
  "loadBalancer: { containerName: web, containerPort: 8080 }",
  "launchType: FARGATE",
  "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }",
  "waitTimeoutSeconds: 60",
  "stages:",
  "  - canaryRollout: { scale: 50 }",
  "  - verify: { header: { name: X-Verify, values: [tester-1] } }",
  "  - trafficRouting: { canary: 10 }",
  "  - approval: { timeoutSeconds: 600 }",
  "  - primaryRollout: {}",
  "  - trafficRouting: { primary: 100 }",
  "  - canaryClean: {}",
  "",
].join("\n");

const path = "/api/v1/deployments/{id}/live";

describe("GET /api/v1/deployments/{id}/live: a deployment's services as AWS shows them now", () => {
  let w: ApiWorld;
  let app: Express;
  let initial: DeploymentRun;
  let canary: DeploymentRun;

  const live = async (id: string, key: string = w.keys.reader) => {
    const res = await request(app).get(`/api/v1/deployments/${id}/live`).set(bearer(key));
    expect(res.status, res.text).toBe(200);
    expectApi("get", path, 200, res.body);
    return res.body as LiveDeployment;
  };
  const deploy = async (release: string) => {
    const res = await request(app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release, environment: "dev" });
    expect(res.status, res.text).toBe(202);
    return res.body as DeploymentRun;
  };

  beforeAll(async () => {
    w = await startApiWorld({ gateIn: [] });
    writeFileSync(join(w.files.dir, "steps", "web.service.yaml"), canaryStep);
    const loaded = loadProject(w.files.projectFile);
    app = w.appWith({ project: { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, process: loadProjectProcess(w.files.projectFile, loaded) } });
    // A second production rule beside the default action: traffic is shifted on both.
    const elb = w.h.clients.elbv2;
    const rules = new ElbListenerRules(elb);
    const [listenerArn, primary, canaryGroup] = await Promise.all([rules.listenerArn({ loadBalancer: "shop-dev", port: 80 }), rules.targetGroupArn("shop-dev-blue"), rules.targetGroupArn("shop-dev-green")]);
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } }],
        Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: primary, Weight: 100 }, { TargetGroupArn: canaryGroup, Weight: 0 }] } }],
      }),
    );
    for (const [version, images] of [["1.0.0", []], ["1.1.0", ["web=1.1.0"]]] as const) {
      const res = await request(app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version, images });
      expect(res.status, res.text).toBe(201);
    }
  });
  afterAll(() => w.close());

  it("shows a first deployment's initial rollout: one task set with all the traffic", { timeout: 60_000 }, async () => {
    initial = await deploy("1.0.0");
    expect((await w.settled.at(-1))?.status).toBe("succeeded");
    const body = await live(initial.id);
    expect(body).toMatchObject({ deployment: initial.id, release: "1.0.0", environment: "dev", status: "succeeded", caller: { name: "reader", mayApprove: false, mayAbort: false } });
    expect(body.steps).toEqual([
      { name: "web task definition", uses: "task-definition", state: "done" },
      { name: "web service", uses: "service", state: "done" },
    ]);
    const [service] = body.services;
    expect(service).toMatchObject({ step: "web service", service: "shop-web", cluster: "shop-dev", mode: "canary", exists: true, deployments: [] });
    expect(service?.stages).toEqual([
      { label: "stage 1 initial rollout", state: "done" },
      { label: "stage 2 traffic primary 100%", state: "done" },
    ]);
    expect(service?.taskSets).toEqual([expect.objectContaining({ status: "PRIMARY", taskDefinition: expect.stringMatching(/^shop-web:\d+$/), targetGroup: "shop-dev-blue", trafficPercent: 100, role: "initial", deployment: initial.id })]);
    expect(body.routing).toHaveLength(2);
    expect(body.verificationRules).toEqual([]);
  });

  it("shows the canary waiting at its gate: two task sets at 90 % / 10 %, the verification rule, who may decide", { timeout: 60_000 }, async () => {
    canary = await deploy("1.1.0");
    await eventually("the canary's gate", async () => ((await w.store.approvals.list({ open: true })).some((g) => g.deploymentId === canary.id) ? true : undefined));
    const body = await live(canary.id);
    expect(body.status).toBe("running");
    expect(body.steps.map((s) => s.state)).toEqual(["done", "waiting"]);
    const [service] = body.services;
    expect(service?.stages).toEqual([
      { label: "stage 1 canary rollout 50%", state: "done" },
      { label: "stage 2 verify", state: "done" },
      { label: "stage 3 traffic canary 10%", state: "done" },
      { label: "stage 4 approval", state: "waiting" },
      { label: "stage 5 primary rollout", state: "pending" },
      { label: "stage 6 traffic primary 100%", state: "pending" },
      { label: "stage 7 canary clean", state: "pending" },
    ]);
    const sets = service?.taskSets ?? [];
    expect(sets.map((s) => [s.status, s.targetGroup, s.trafficPercent, s.role]).sort()).toEqual([
      ["ACTIVE", "shop-dev-green", 10, "canary"],
      ["PRIMARY", "shop-dev-blue", 90, "initial"],
    ]);
    const canarySet = sets.find((s) => s.role === "canary");
    expect(canarySet).toMatchObject({ deployment: canary.id, scale: 50, computedDesiredCount: 1 });
    expect((canarySet?.runningCount ?? 0) + (canarySet?.pendingCount ?? 0)).toBe(1);
    // Both production rules carry the shift; the verification rule is not one of them.
    expect(body.routing.map((r) => r.targets.map((t) => [t.targetGroup, t.percent]).sort())).toEqual([
      [["shop-dev-blue", 90], ["shop-dev-green", 10]],
      [["shop-dev-blue", 90], ["shop-dev-green", 10]],
    ]);
    expect(body.verificationRules).toEqual([
      expect.objectContaining({ service: "shop-web", deployment: canary.id, match: { headers: [{ name: "X-Verify", values: ["tester-1"] }], query: [], hosts: [], paths: [] }, forwardsTo: ["shop-dev-green"] }),
    ]);
    // What each key may do here: the reader nothing; dev's approvers and the admin decide the gate.
    expect(body.caller).toEqual({ name: "reader", mayApprove: false, mayAbort: false });
    expect((await live(canary.id, w.keys.devtest)).caller).toEqual({ name: "devtest", mayApprove: true, mayAbort: true });
    expect((await live(canary.id, w.keys.admin)).caller).toEqual({ name: "admin", mayApprove: true, mayAbort: true });

    // Ten viewers asking at once share one reading: AWS is read as often as for one. (A window no test can outrun:
    // each app keeps its own readings, so each count starts from an empty one.)
    const awsCalls = async () => Object.values(((await w.h.control("GET", "calls")) as { byOperation: Record<string, Record<string, number>> }).byOperation).flatMap((o) => Object.values(o)).reduce((a, b) => a + b, 0);
    const viewers = async (count: number) => {
      const shared = w.appWith({ liveSharedForMs: 600_000 });
      await w.h.control("DELETE", "calls");
      const answers = await Promise.all(Array.from({ length: count }, () => request(shared).get(`/api/v1/deployments/${canary.id}/live`).set(bearer(w.keys.reader))));
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: count }, () => 200));
      expect(new Set(answers.map((a) => (a.body as { readAt: string }).readAt)).size).toBe(1);
      return awsCalls();
    };
    const one = await viewers(1);
    expect(one).toBeGreaterThan(0);
    expect(await viewers(10)).toBe(one);
  });

  it("shows the canary finished once approved: the new revision alone at 100 %, verification closed", { timeout: 60_000 }, async () => {
    const approved = await request(app).post(`/api/v1/deployments/${canary.id}/approve`).set(bearer(w.keys.admin)).send({});
    expect(approved.status, approved.text).toBe(200);
    expect((await w.settled.at(-1))?.status).toBe("succeeded");
    const body = await live(canary.id);
    expect(body.status).toBe("succeeded");
    expect(body.services[0]?.stages.every((s) => s.state === "done")).toBe(true);
    expect(body.services[0]?.taskSets).toEqual([expect.objectContaining({ status: "PRIMARY", targetGroup: "shop-dev-blue", trafficPercent: 100, role: "primary", deployment: canary.id })]);
    expect(body.verificationRules).toEqual([]);
  });

  it("refuses without a key, without the read scope, for an unknown deployment; says when AWS cannot be read", { timeout: 60_000 }, async () => {
    const anonymous = await request(app).get(`/api/v1/deployments/${initial.id}/live`);
    expect(anonymous.status).toBe(401);
    expectApi("get", path, 401, anonymous.body);
    const releaser = await request(app).get(`/api/v1/deployments/${initial.id}/live`).set(bearer(w.keys.releaser));
    expect(releaser.status).toBe(403);
    expect(releaser.body.scope).toBe("read");
    expectApi("get", path, 403, releaser.body);
    const unknown = await request(app).get("/api/v1/deployments/nope/live").set(bearer(w.keys.reader));
    expect(unknown.status).toBe(404);
    expectApi("get", path, 404, unknown.body);
    const unreachable = w.appWith({ clientsFor: (target) => createAwsClients({ region: target.region, endpoint: "http://127.0.0.1:9", maxAttempts: 1 }) });
    const failed = await request(unreachable).get(`/api/v1/deployments/${initial.id}/live`).set(bearer(w.keys.reader));
    expect(failed.status, failed.text).toBe(502);
    expect(failed.body).toMatchObject({ error: "aws", message: expect.stringContaining("DescribeServices") });
    expectApi("get", path, 502, failed.body);
  });
});
