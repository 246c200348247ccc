import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Express } from "express";
import { createApiApp, type ApiDeps } from "../../src/api/app.js";
import { createApiKey } from "../../src/api/keys.js";
import { createAwsClients } from "../../src/aws/clients.js";
import { EcsTaskDefinitions } from "../../src/aws/task-definitions.js";
import { loadProject } from "../../src/config/load.js";
import { loadProjectProcess } from "../../src/config/load-process.js";
import { createSampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import type { KeyScopes, Store } from "../../src/engine/store.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { openStore, stateDirOf } from "../../src/storage/open-store.js";
import { toAwsConnection } from "../../targets/connection.js";
import { sampleTargetLines, webServiceStep, webTaskdefStep } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";

/** The secret variable every deployment of the test project reads, and its value in the deploying process. */
export const secretEnv = "SLIPWAY_API_TEST_DB_PASSWORD";
export const secretValue = "hunter2-api-secret-value";

export interface ProjectFiles {
  dir: string;
  projectFile: string;
}

/**
 * A project of three environments (dev → test → prod, none optional) over the sample infrastructure in the
 * simulator: a task definition step, a manual intervention gate (in the environments `gateIn` names; none when
 * empty), and a service step — rolling, or with `canary` a canary whose traffic waits for an approval at 10 %. Its
 * task definition passes a secret variable through ECS secrets: slipway keeps the value in Secrets Manager, and no
 * answer of the API may show it.
 */
export function writeProject(h: SimHarness, options: { gateIn?: string[]; canary?: boolean } = {}): ProjectFiles {
  const dir = mkdtempSync(join(tmpdir(), "slipway-api-"));
  mkdirSync(join(dir, "steps"));
  const gateIn = options.gateIn ?? ["prod"];
  writeFileSync(
    join(dir, "slipway.yaml"),
    [
      "apiVersion: slipway/v1",
      "kind: Project",
      "name: shop",
      "environments:",
      "  - name: dev",
      "  - name: test",
      "  - name: prod",
      "targets:",
      ...sampleTargetLines(h),
      "process:",
      "  - name: web task definition",
      "    uses: task-definition",
      "    file: steps/web.taskdef.yaml",
      ...(gateIn.length > 0 ? ["  - name: sign-off", "    uses: manual-intervention", "    file: steps/sign-off.yaml", `    environments: [${gateIn.join(", ")}]`] : []),
      "  - name: web service",
      "    uses: service",
      "    file: steps/web.service.yaml",
      "variables:",
      "  default:",
      "    LOG_LEVEL: info",
      `    DB_PASSWORD: { secret: true, fromEnv: ${secretEnv} }`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "steps", "web.taskdef.yaml"), webTaskdefStep(["LOG_LEVEL"], undefined, ["DB_PASSWORD"]));
  writeFileSync(join(dir, "steps", "sign-off.yaml"), ["instructions: Check the release, then approve it.", "stage: sign-off", ""].join("\n"));
  const canary = ["stages:", "  - canaryRollout: { scale: 50 }", "  - trafficRouting: { canary: 10 }", "  - approval: { timeoutSeconds: 600 }", "  - primaryRollout: {}", "  - trafficRouting: { primary: 100 }", "  - canaryClean: {}"];
  writeFileSync(join(dir, "steps", "web.service.yaml"), options.canary ? webServiceStep("canary", canary) : webServiceStep("rolling"));
  return { dir, projectFile: join(dir, "slipway.yaml") };
}

export const scopes = {
  admin: { read: true, createReleases: true, deploy: ["*"], approve: ["*"] },
  /** Deploys to and approves in dev and test only. */
  devtest: { read: true, createReleases: false, deploy: ["dev", "test"], approve: ["dev", "test"] },
  releaser: { read: false, createReleases: true, deploy: [], approve: [] },
  reader: { read: true, createReleases: false, deploy: [], approve: [] },
} satisfies Record<string, KeyScopes>;

export interface ApiWorld {
  h: SimHarness;
  files: ProjectFiles;
  store: Store;
  app: Express;
  /** Another app over the same store and simulator, with some of its dependencies changed. */
  appWith(overrides: Partial<ApiDeps>): Express;
  /** Each key's secret, by its name (admin, devtest, releaser, reader). */
  keys: Record<keyof typeof scopes, string>;
  /** How each deployment the app started ended, in the order they started. */
  settled: Promise<DeploymentRun | undefined>[];
  close(): Promise<void>;
}

export const fastPolling = { minDelaySeconds: 0.02, maxDelaySeconds: 0.1 };

/** The simulator, the project, its store (embedded PGlite in the project's .slipway/), four keys, and the API over them. */
export async function startApiWorld(options: { gateIn?: string[]; heartbeatMs?: number } = {}): Promise<ApiWorld> {
  const h = await startSim({ speed: 200 });
  await createSampleInfrastructure(h.url, h.region);
  const files = writeProject(h, options);
  const loaded = loadProject(files.projectFile);
  const process = loadProjectProcess(files.projectFile, loaded);
  const store = await openStore({ stateDir: stateDirOf(files.projectFile), project: loaded.project.name });
  const keys = {} as Record<keyof typeof scopes, string>;
  for (const [name, s] of Object.entries(scopes)) keys[name as keyof typeof scopes] = (await createApiKey(store, { name, scopes: s }, "cli:test")).secret;
  const stopping = new AbortController();
  const settled: Promise<DeploymentRun | undefined>[] = [];
  const deps: ApiDeps = {
    store,
    project: { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, process },
    clientsFor: (target) => createAwsClients(toAwsConnection(target)),
    auth: { open: false },
    signal: stopping.signal,
    runOptions: { pacing: fastPolling, approvalPollMs: 20, abortPollMs: 50, env: { [secretEnv]: secretValue } },
    onRunStarted: (_run, done) => settled.push(done),
    feedSources: new Map([...loaded.targets.keys()].map((env) => [env, new EcsTaskDefinitions(h.clients.ecs)])),
    eventPollMs: 20,
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    log: () => undefined,
  };
  return {
    h,
    files,
    store,
    app: createApiApp(deps),
    appWith: (overrides) => createApiApp({ ...deps, ...overrides }),
    keys,
    settled,
    async close() {
      stopping.abort();
      await Promise.all(settled);
      await store.close();
      await h.close();
    },
  };
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** Polls until `check` returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
