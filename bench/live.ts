/**
 * What watching costs AWS: the demo's prod canary waits at its approval while 1 and then 10 viewers each ask
 * GET /deployments/{id}/live once a second, as the dashboard does — first with one reading shared per second
 * (what `slipway serve` does), then with every request read afresh (what it did before). Prints AWS calls per
 * minute for each, counted by the simulator. `npm run bench:live` (LIVE_BENCH_SECONDS, default 20, per run).
 */
import type { Server } from "node:http";
import { createApiApp } from "../src/api/app.js";
import { liveSharedForMs } from "../src/api/routes/live.js";
import { runDemo } from "../src/demo/run-demo.js";
import type { Store } from "../src/engine/store.js";
import type { DeployingProject } from "../src/releases/deployments.js";
import type { ProjectProcess } from "../src/config/process-model.js";

const seconds = Number(process.env.LIVE_BENCH_SECONDS ?? "20");

interface Context {
  store: Store;
  project: DeployingProject;
  process: ProjectProcess;
  env: NodeJS.ProcessEnv;
}

async function serve(context: Context, sharedForMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const { project } = context;
  const app = createApiApp({
    store: context.store,
    project: { name: project.name, lifecycle: project.lifecycle, targets: project.targets, process: context.process },
    clientsFor: project.clientsFor,
    auth: { open: true, login: "bench" },
    liveSharedForMs: sharedForMs,
    log: () => undefined,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function awsCalls(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/_sim/calls?region=us-east-1`);
  const counts = (await res.json()) as { byOperation: Record<string, Record<string, number>> };
  return Object.values(counts.byOperation).flatMap((o) => Object.values(o)).reduce((a, b) => a + b, 0);
}

/** `viewers` dashboards, each asking once a second for `seconds`; returns AWS calls per minute. */
async function watch(url: string, endpoint: string, id: string, viewers: number): Promise<number> {
  await fetch(`${endpoint}/_sim/calls?region=us-east-1`, { method: "DELETE" });
  const started = Date.now();
  const viewer = async (offset: number) => {
    await new Promise((resolve) => setTimeout(resolve, offset));
    while (Date.now() - started < seconds * 1000) {
      const asked = Date.now();
      const res = await fetch(`${url}/api/v1/deployments/${encodeURIComponent(id)}/live`);
      await res.text();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - asked))));
    }
  };
  // Viewers opened the page at different moments: their seconds do not line up.
  await Promise.all(Array.from({ length: viewers }, (_, i) => viewer((i * 1000) / viewers)));
  const calls = await awsCalls(endpoint);
  return (calls / ((Date.now() - started) / 1000)) * 60;
}

let context: Context | undefined;
const measured: { viewers: number; shared: number; unshared: number }[] = [];
let failure: unknown;
const result = await runDemo({
  speed: 60,
  frontendBasePort: 0,
  autoApprove: false,
  say: () => undefined,
  // Only the demo's store and project are wanted: the bench serves its own apps.
  startServer: (c) => {
    context = c;
    return Promise.resolve({ url: "", close: () => Promise.resolve() });
  },
  onWaiting: (gate) => {
    void (async () => {
      try {
        if (!context) throw new Error("the demo gave no store");
        const endpoint = context.project.targets.get("prod")?.endpoint ?? "";
        for (const viewers of [1, 10]) {
          const row = { viewers, shared: 0, unshared: 0 };
          for (const [key, forMs] of [["shared", liveSharedForMs], ["unshared", 0]] as const) {
            const server = await serve(context, forMs);
            try {
              row[key] = await watch(server.url, endpoint, gate.deploymentId, viewers);
            } finally {
              await server.close();
            }
          }
          measured.push(row);
        }
      } catch (error) {
        failure = error;
      } finally {
        await context?.store.approvals.decide({ deploymentId: gate.deploymentId, stage: gate.stage, verdict: "approved", by: "bench" });
      }
    })();
  },
});
await result.stop();
result.removeProject();
if (failure) throw failure;
console.log(`GET /deployments/{id}/live, the demo's prod canary waiting at its approval, each viewer asking once a second for ${seconds} s:`);
console.log("viewers  AWS calls/min (one reading shared per ${liveSharedForMs} ms)  AWS calls/min (each request read afresh)".replace("${liveSharedForMs}", String(liveSharedForMs)));
for (const row of measured) console.log(`${String(row.viewers).padStart(7)}  ${row.shared.toFixed(0).padStart(45)}  ${row.unshared.toFixed(0).padStart(40)}`);
