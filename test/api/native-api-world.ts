import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Express } from "express";
import request from "supertest";
import { expect } from "vitest";
import { loadProject } from "../../src/config/load.js";
import { loadProjectProcess } from "../../src/config/load-process.js";
import type { Gate } from "../../src/engine/approvals.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { bearer, eventually, startApiWorld, type ApiWorld } from "./api-world.js";

/** ECS's own linear deployment, 25 % a step, with a person's go-ahead before every production shift. */
export const linearStep = [
  "service: shop-web",
  "mode: ecs-linear",
  "desiredCount: 2",
  "loadBalancer: { containerName: web, containerPort: 8080 }",
  "network: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0c7d8e9f] }",
  "waitTimeoutSeconds: 60",
  "deployment: { bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 } }",
  "verification: { header: { name: X-Verify, values: [tester-1] } }",
  "approvals:",
  "  - { at: PRE_PRODUCTION_TRAFFIC_SHIFT, timeoutMinutes: 60, onTimeout: ROLLBACK }",
  "",
].join("\n");

export interface NativeApiWorld {
  w: ApiWorld;
  /** The API over the project with the ecs-linear step; every live reading its own (none shared for a second). */
  app: Express;
  deploy(release: string): Promise<DeploymentRun>;
  /** The deployment's open gate (at `stage` when given), once it opens. */
  gate(id: string, stage?: string): Promise<Gate>;
  decide(id: string, verdict: "approve" | "abort"): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API world's project with its web service step in mode ecs-linear, releases 1.0.0 and 1.1.0 made, and 1.0.0
 * deployed to dev (its four production shifts approved as they came): 1.1.0 is the deployment to watch.
 */
export async function nativeApiWorld(): Promise<NativeApiWorld> {
  const w = await startApiWorld({ gateIn: [] });
  writeFileSync(join(w.files.dir, "steps", "web.service.yaml"), linearStep);
  const loaded = loadProject(w.files.projectFile);
  const app = w.appWith({ project: { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, process: loadProjectProcess(w.files.projectFile, loaded) }, liveSharedForMs: 0 });
  const deploy = async (release: string) => {
    const res = await request(app).post("/api/v1/deployments").set(bearer(w.keys.admin)).send({ release, environment: "dev" });
    expect(res.status, res.text).toBe(202);
    return res.body as DeploymentRun;
  };
  const gate = (id: string, stage?: string) => eventually(`a gate of ${id}${stage ? ` at ${stage}` : ""}`, async () => (await w.store.approvals.list({ open: true })).find((g) => g.deploymentId === id && (stage === undefined || g.stage === stage)));
  const decide = async (id: string, verdict: "approve" | "abort") => {
    const res = await request(app).post(`/api/v1/deployments/${id}/${verdict}`).set(bearer(w.keys.admin)).send({});
    expect(res.status, res.text).toBe(200);
  };
  for (const [version, images] of [["1.0.0", []], ["1.1.0", ["web=1.1.0"]]] as const) {
    const res = await request(app).post("/api/v1/releases").set(bearer(w.keys.admin)).send({ version, images });
    expect(res.status, res.text).toBe(201);
  }
  const first = await deploy("1.0.0");
  const done = w.settled.at(-1);
  for (let i = 0; i < 4; i += 1) await decide((await gate(first.id)).deploymentId, "approve");
  expect((await done)?.status).toBe("succeeded");
  return { w, app, deploy, gate, decide, close: () => w.close() };
}
