import { rmSync } from "node:fs";
import { releaseSources } from "../releases/release-sources.js";
import { createAwsClients } from "../aws/clients.js";
import { loadDeployableProject } from "../config/load.js";
import type { ProjectProcess } from "../config/process-model.js";
import type { Gate } from "../engine/approvals.js";
import type { Store } from "../engine/store.js";
import { InterruptedError } from "../errors.js";
import { createRelease } from "../releases/create-release.js";
import { startDeployment, type DeployingProject } from "../releases/deployments.js";
import { projectStatus } from "../releases/status.js";
import { openStore, stateDirOf } from "../storage/open-store.js";
import type { DeploymentProgress } from "../../steps/service/progress.js";
import { toAwsConnection } from "../../targets/connection.js";
import { writeDemoProject } from "./demo-project.js";
import { describeCounts, listFrontends, sampleRevisions, type Frontend } from "./frontends.js";
import { createSampleInfrastructure, sampleUnhealthyTag } from "./sample-infrastructure.js";
import { startSimulatorProcess, type SimulatorProcess } from "./simulator-process.js";

export interface DemoOptions {
  /** Simulated seconds per real second. */
  speed: number;
  /** Frontend ports from this one upward; 0: free ports. */
  frontendBasePort: number;
  /** Approve the prod canary as "demo" once verification was shown, instead of waiting for a person. */
  autoApprove: boolean;
  /** Started before the prod canary, so a person can watch and approve it; returns its URL. */
  startServer?: (context: { store: Store; project: DeployingProject; process: ProjectProcess; env: NodeJS.ProcessEnv }) => Promise<{ url: string; close(): Promise<void> }>;
  /** Told when the prod canary waits for a person (after verification was shown). */
  onWaiting?: (gate: Gate, serverUrl: string | undefined) => void;
  say: (line: string) => void;
  /** Ctrl-C before the end: everything the demo started is stopped and runDemo throws an InterruptedError. */
  signal?: AbortSignal;
}

export interface DemoResult {
  projectFile: string;
  endpoint: string;
  frontends: Frontend[];
  serverUrl?: string;
  seconds: number;
  /** Stops what the demo left running (server, simulator) and closes the store. */
  stop(): Promise<void>;
  /** Deletes the demo's project folder and its store (once stopped): nothing is left behind. */
  removeProject(): void;
}

const verifyHeader = { "X-Shop-Verify": "tester-7f3a" };

/** One line per note, prefixed with the environment; ECS's event stream is left to the dashboard. */
function quietProgress(env: string, say: (line: string) => void): DeploymentProgress {
  return { status: () => undefined, event: () => undefined, note: (line) => say(`  [${env}] ${line}`) };
}

/**
 * The main job on the embedded default: a simulator, sample infrastructure, a release through dev, test and prod,
 * then the next release into prod as a canary with header-routed verification and an approval, and a summary.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const say = options.say;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  say(`starting the AWS simulator (ECS, ELBv2, ECR at ${options.speed}x speed)…`);
  const sim: SimulatorProcess = await startSimulatorProcess({ speed: options.speed, frontendBasePort: options.frontendBasePort });
  let store: Store | undefined;
  let server: { url: string; close(): Promise<void> } | undefined;
  let stopping: Promise<void> | undefined;
  // Once, however many ways it is asked for (Ctrl-C, an error, the end).
  const stop = () =>
    (stopping ??= (async () => {
      await server?.close().catch(() => undefined);
      await store?.close().catch(() => undefined);
      await sim.stop();
    })());
  const onAbort = () => void stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  // Ctrl-C while the simulator was starting: nothing else is started.
  if (options.signal?.aborted) await stop();
  let projectDir: string | undefined;
  try {
    if (options.signal?.aborted) throw new InterruptedError("demo stopped before it began.");
    say(`simulator at ${sim.endpoint}; creating the sample infrastructure…`);
    const infra = await createSampleInfrastructure(sim.endpoint);
    say(`  clusters ${infra.environments.map((e) => e.cluster).join(", ")}; a load balancer with a blue/green target group pair in each; ECR ${infra.repository} tagged ${infra.tags.join(", ")} (${sampleUnhealthyTag} fails its health check)`);
    const frontends = await listFrontends(sim.endpoint);
    const { dir, project: projectFile } = writeDemoProject(sim.endpoint);
    projectDir = dir;
    const loaded = loadDeployableProject(projectFile);
    store = await openStore({ stateDir: stateDirOf(projectFile), project: loaded.project.name });
    const project: DeployingProject = { name: loaded.project.name, lifecycle: loaded.project.lifecycle, targets: loaded.targets, store, clientsFor: (t) => createAwsClients(toAwsConnection(t)) };
    const env = { ...process.env, SHOP_DB_PASSWORD: process.env.SHOP_DB_PASSWORD ?? "demo-only-password" };
    const pacing = { minDelaySeconds: 0.2, maxDelaySeconds: 0.5 };
    // Images are chosen in the first environment's registry, as `slipway release create` does.
    const first = loaded.targets.get(loaded.project.lifecycle.names[0] ?? "");
    if (!first) throw new Error("the example project has no first environment");
    const catalogClients = createAwsClients(toAwsConnection(first));
    const release = async (version: string, image: string, notes: string) => {
      const made = await createRelease({ name: loaded.project.name, lifecycle: loaded.project.lifecycle, process: loaded.process }, project.store, releaseSources(catalogClients), { version, images: [`web=${image}`], notes, actor: "demo" });
      const pinned = made.snapshot.steps.flatMap((s) => (s.uses === "task-definition" ? s.images : []))[0];
      say(`release ${version}: web ${pinned?.tag ?? "?"} pinned to ${pinned?.digest.slice(0, 19) ?? "?"}… (${elapsed()})`);
    };
    const deploy = async (version: string, to: string) => {
      const begun = await startDeployment(project, { release: version, environment: to, actor: "demo", env });
      say(`deploying ${version} to ${to} (deployment ${begun.run.id})`);
      const finished = await begun.execute({ progress: quietProgress(to, say), pacing, approvalPollMs: 200, env });
      say(`✓ ${version} is live in ${to} (${elapsed()})`);
      return finished;
    };

    say(`project ${projectFile}`);
    await release("1.0.0", "1.1.0", "first release");
    for (const to of ["dev", "test", "prod"]) await deploy("1.0.0", to);
    await release("1.1.0", "1.2.0", "the next release");
    await deploy("1.1.0", "dev");
    await deploy("1.1.0", "test");
    if (options.startServer) {
      server = await options.startServer({ store, project, process: loaded.process, env });
      say(`dashboard and API at ${server.url}`);
    }
    const prod = frontends.find((f) => f.loadBalancerName.endsWith("-prod"));
    const watcher = watchProdGate(store, async (gate) => {
      try {
        if (prod) {
          say(`  verification over real HTTP on ${prod.url}:`);
          say(`    without the header: ${describeCounts(await sampleRevisions(prod.url, 40))}`);
          say(`    with X-Shop-Verify: tester-7f3a: ${describeCounts(await sampleRevisions(prod.url, 10, verifyHeader))}`);
          say(`    try it: curl ${prod.url}/  and  curl -H 'X-Shop-Verify: tester-7f3a' ${prod.url}/`);
        }
      } catch (error) {
        // Showing the routing is a courtesy: the canary must still be decided, or the demo would wait forever.
        say(`  could not show the routing: ${(error as Error).message}`);
      }
      if (options.autoApprove) {
        await project.store.approvals.decide({ deploymentId: gate.deploymentId, stage: gate.stage, verdict: "approved", by: "demo", reason: "the canary answered as expected" });
        say(`  approved "${gate.stage}" as demo`);
      } else {
        options.onWaiting?.(gate, server?.url);
      }
    });
    try {
      await deploy("1.1.0", "prod");
    } finally {
      watcher.stop();
      catalogClients.destroy();
    }

    const status = await projectStatus(store, loaded.project.lifecycle);
    say("");
    say(`summary (${elapsed()}):`);
    for (const e of status.environments) {
      const lb = frontends.find((f) => f.loadBalancerName.endsWith(`-${e.name}`));
      const serving = lb ? describeCounts(await sampleRevisions(lb.url, 10)) : "?";
      say(`  ${e.name.padEnd(5)} runs release ${e.current?.release ?? "-"}; its load balancer ${lb?.url ?? ""} answers: ${serving}`);
    }
    for (const r of status.releases) say(`  release ${r.version}: ${status.environments.map((e) => `${e.name} ${r.environments[e.name]?.status ?? "-"}`).join(", ")}`);
    return { projectFile, endpoint: sim.endpoint, frontends, ...(server && { serverUrl: server.url }), seconds: (Date.now() - started) / 1000, stop, removeProject: () => projectDir && rmSync(projectDir, { recursive: true, force: true }) };
  } catch (error) {
    await stop();
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
    if (options.signal?.aborted) throw new InterruptedError("demo stopped: the simulator and everything else it started have stopped.");
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** Calls `onOpen` once for the first gate that opens in prod, polling the store as another process would. */
function watchProdGate(store: Store, onOpen: (gate: Gate) => Promise<void>): { stop(): void } {
  let done = false;
  let busy = false;
  const timer = setInterval(() => {
    if (done || busy) return;
    busy = true;
    void store.approvals
      .list({ open: true })
      .then(async (gates) => {
        const gate = gates.find((g) => g.deploymentId.startsWith("release-prod-"));
        if (!gate || done) return;
        done = true;
        await onOpen(gate);
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 200);
  return {
    stop() {
      done = true;
      clearInterval(timer);
    },
  };
}
