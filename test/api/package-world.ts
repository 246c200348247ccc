import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegisterTaskDefinitionCommand, type ECSClient } from "@aws-sdk/client-ecs";
import type { Express } from "express";
import { loadProject } from "../../src/config/load.js";
import { createSampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import type { Store } from "../../src/engine/store.js";
import { seedProjectStore, type ProjectStores } from "../support/project-store.js";
import { sampleTargetLines, webServiceStep } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { apiOverProject } from "./project-api.js";

/**
 * A project whose service step takes its task definition from the feed (`package: { family: shop-web }`) over the
 * sample infrastructure, and a task definition step for a worker (so a release pins an image too). Two channels:
 * stable (the default, no rule) and narrow (`revisions: { shop-web: "[2,10)" }`). shop-web's revisions are
 * registered through the AWS SDK, as a pipeline outside slipway would, by registerPackageHistory.
 */
export function writePackageProject(h: SimHarness): { dir: string; projectFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "slipway-package-api-"));
  mkdirSync(join(dir, "steps"));
  const projectFile = join(dir, "slipway.yaml");
  writeFileSync(
    projectFile,
    [
      "apiVersion: slipway/v1",
      "kind: Project",
      // Unique: one PostgreSQL (DATABASE_URL) may hold every test's projects.
      `name: shop-${Math.random().toString(36).slice(2, 8)}`,
      "environments: [{ name: dev }, { name: test }, { name: prod }]",
      "targets:",
      ...sampleTargetLines(h),
      "channels:",
      "  - { name: stable, default: true }",
      '  - { name: narrow, revisions: { shop-web: "[2,10)" } }',
      "process:",
      "  - name: worker task definition",
      "    uses: task-definition",
      "    file: steps/worker.taskdef.yaml",
      "  - name: web service",
      "    uses: service",
      "    file: steps/web.service.yaml",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "steps", "worker.taskdef.yaml"),
    [
      "family: shop-worker",
      "definition:",
      "  networkMode: awsvpc",
      "  requiresCompatibilities: [FARGATE]",
      '  cpu: "256"',
      '  memory: "512"',
      "  containerDefinitions:",
      "    - name: worker",
      "      image: shop/web",
      "images:",
      '  worker: { range: "^1.0.0 <1.3.0" }',
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "steps", "web.service.yaml"), webServiceStep("rolling", ["package: { family: shop-web }"]));
  return { dir, projectFile };
}

/** A revision of shop-web as a pipeline registers it: no slipway tags unless `owner` names the environment that owns it. */
async function register(ecs: ECSClient, image: string, owner?: string): Promise<number> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "shop-web",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "web", image, portMappings: [{ containerPort: 8080 }], environment: [{ name: "LOG_LEVEL", value: "info" }] }],
      tags: [{ key: "team", value: "shop" }, ...(owner ? [{ key: "slipway:environment", value: owner }] : [])],
    }),
  );
  return out.taskDefinition?.revision ?? 0;
}

/**
 * shop-web's history in the simulator's account (the sample infrastructure's repository holds the images): 1–3 and 5 registered outside slipway, 4 dev's own (slipway's
 * registration: never a package revision). A release may take 5, 3, 2 and 1; the narrow channel leaves out 1.
 */
export async function registerPackageHistory(h: SimHarness): Promise<void> {
  const web = (tag: string) => `000000000000.dkr.ecr.${h.region}.amazonaws.com/shop/web:${tag}`;
  const revisions = [await register(h.clients.ecs, web("1.0.0")), await register(h.clients.ecs, web("1.1.0")), await register(h.clients.ecs, web("1.2.0")), await register(h.clients.ecs, web("1.2.0"), "dev"), await register(h.clients.ecs, web("1.1.0"))];
  if (revisions.join() !== "1,2,3,4,5") throw new Error(`registerPackageHistory: expected revisions 1 to 5 of shop-web, got ${revisions.join(", ")}`);
}

export interface PackageWorld {
  h: SimHarness;
  store: Store;
  app: Express;
  admin: string;
  reader: string;
}

/** The simulator with the sample infrastructure and shop-web's history, the package project, its store and the API over it. */
export async function startPackageWorld(stores: ProjectStores): Promise<PackageWorld> {
  const h = await startSim({ speed: 200 });
  await createSampleInfrastructure(h.url, h.region);
  await registerPackageHistory(h);
  const files = writePackageProject(h);
  await seedProjectStore(files.dir);
  const store = await stores.of(files.projectFile, loadProject(files.projectFile).project.name);
  const api = await apiOverProject(files.projectFile, store);
  return { h, store, ...api };
}
