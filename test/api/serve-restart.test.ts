import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { CreateRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSampleInfrastructure } from "../../src/demo/sample-infrastructure.js";
import type { DeploymentRun } from "../../src/releases/deployment-run.js";
import { openStore, stateDirOf } from "../../src/storage/open-store.js";
import { runCli } from "../cli/capture.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { eventually, secretEnv, secretValue, writeProject, type ProjectFiles } from "./api-world.js";
import { parseSse } from "./sse.js";

interface Server {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
}

const servers: Server[] = [];

/** `slipway serve` as users run it — the built CLI in a process of its own — once it says it is listening and has resumed what it found. */
async function startServer(projectFile: string): Promise<Server> {
  if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
  const child = spawn(process.execPath, ["bin/slipway.js", "serve", "--project", projectFile, "--port", "0", "--poll-interval", "0.02"], { env: { ...process.env, [secretEnv]: secretValue }, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes("Press Ctrl-C to stop")) resolve(url);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`slipway serve exited with ${code} before it listened:\n${output}`)));
  });
  const server = { url, child, output: () => output, exited };
  servers.push(server);
  return server;
}

async function stopServers(): Promise<void> {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    await server.exited;
  }
}

/** A key that may do everything, made with `slipway keys create` before any server runs. */
async function createKey(files: ProjectFiles): Promise<string> {
  const created = await runCli("keys", "create", "ops", "--read", "--create-releases", "--deploy", "*", "--approve", "*", "--project", files.projectFile);
  expect(created.code, created.err).toBe(0);
  return created.out[0] as string;
}

type Call = (server: Server, method: string, path: string, body?: unknown) => Promise<{ status: number; text: string; json(): unknown }>;

function api(key: string): Call {
  return async (server, method, path, body) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { "content-type": "application/json" }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as unknown };
  };
}

interface Detail {
  run: DeploymentRun;
  gates: { stage: string; decision?: unknown }[];
}

const detail = async (call: Call, server: Server, id: string) => (await call(server, "GET", `/api/v1/deployments/${id}`)).json() as Detail;

/** Waits for the deployment to wait at a gate; returns the gate's stage. */
const openGate = (call: Call, server: Server, id: string) => eventually(`deployment ${id} to wait at a gate`, async () => (await detail(call, server, id)).gates.find((g) => !g.decision)?.stage);

/** Waits for the deployment to end, as the server reports it. */
const endOf = (call: Call, server: Server, id: string) =>
  eventually(`deployment ${id} to end`, async () => {
    const { run } = await detail(call, server, id);
    return run.status === "queued" || run.status === "running" || run.status === "interrupted" ? undefined : run;
  });

describe("slipway serve restarted in the middle of a deployment", () => {
  let h: SimHarness;
  let files: ProjectFiles;
  let key: string;

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createSampleInfrastructure(h.url, h.region);
    files = writeProject(h, { gateIn: ["dev"] });
    key = await createKey(files);
  });
  afterEach(stopServers);
  afterAll(() => h.close());

  it("a server killed while a deployment waits at its gate resumes it on start; approved through the new server, it succeeds", { timeout: 90_000 }, async () => {
    const call = api(key);
    const first = await startServer(files.projectFile);
    expect((await call(first, "POST", "/api/v1/releases", { version: "1.0.0" })).status).toBe(201);
    const started = await call(first, "POST", "/api/v1/deployments", { release: "1.0.0", environment: "dev" });
    expect(started.status, started.text).toBe(202);
    const id = (started.json() as DeploymentRun).id;
    expect(await openGate(call, first, id)).toBe("sign-off");

    first.child.kill("SIGKILL");
    await first.exited;

    const second = await startServer(files.projectFile);
    expect(second.output()).toContain(`resuming deployment ${id} (release 1.0.0 to dev, running)`);
    const approved = await call(second, "POST", `/api/v1/deployments/${id}/approve`, { reason: "after the restart" });
    expect(approved.status, approved.text).toBe(200);
    const run = await endOf(call, second, id);
    expect(run.status).toBe("succeeded");
    expect(run.runner?.pid).toBe(second.child.pid);

    // Its events tell the whole story across both servers, ending at done. The decision is written by whoever
    // made it before the answer, so it is there however the first server's last writes fared when it was killed.
    const stream = await call(second, "GET", `/api/v1/deployments/${id}/events`);
    const frames = parseSse(stream.text).filter((f) => f.event !== undefined);
    expect(frames.filter((f) => f.event === "gate").map((f) => (JSON.parse(f.data ?? "{}") as { message: string }).message)).toContain("sign-off: approved by ops");
    expect(frames.at(-1)?.event).toBe("done");
    const history = (await call(second, "GET", "/api/v1/environments/dev/history")).json() as { deployments: { deployment: string; requestedBy: string; services: { to: string; status: string }[] }[] };
    expect(history.deployments[0]).toMatchObject({ deployment: id, requestedBy: "ops", services: [{ to: expect.stringMatching(/^shop-web:\d+$/), status: "SUCCESSFUL" }] });

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toContain(key);
  });
});

describe("slipway serve stopped in the middle of a deployment", () => {
  let h: SimHarness;
  let files: ProjectFiles;
  let key: string;

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    const infrastructure = await createSampleInfrastructure(h.url, h.region);
    // A canary needs both target groups behind the load balancer: a production rule that forwards to both.
    const dev = infrastructure.environments.find((e) => e.name === "dev");
    await h.clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: dev?.listenerArn,
        Priority: 10,
        Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: ["shop.example.com"] } }],
        Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: dev?.primary, Weight: 100 }, { TargetGroupArn: dev?.canary, Weight: 0 }] } }],
      }),
    );
    files = writeProject(h, { gateIn: [], canary: true });
    key = await createKey(files);
  });
  afterEach(stopServers);
  afterAll(() => h.close());

  it("SIGTERM interrupts a canary waiting for approval and closes the store; the next start resumes it and the approval goes through", { timeout: 90_000 }, async () => {
    const first = await startServer(files.projectFile);
    const call = api(key);
    // The first deployment creates the service; the second is a canary of another image, which waits at its approval.
    expect((await call(first, "POST", "/api/v1/releases", { version: "1.0.0" })).status).toBe(201);
    expect((await call(first, "POST", "/api/v1/releases", { version: "1.1.0", images: ["web=1.1.0"] })).status).toBe(201);
    const created = (await call(first, "POST", "/api/v1/deployments", { release: "1.0.0", environment: "dev" })).json() as DeploymentRun;
    expect((await endOf(call, first, created.id)).status).toBe("succeeded");
    const started = await call(first, "POST", "/api/v1/deployments", { release: "1.1.0", environment: "dev" });
    expect(started.status, started.text).toBe(202);
    const id = (started.json() as DeploymentRun).id;
    const stage = await openGate(call, first, id);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("stopping 1 deployment(s) in progress at their next safe point");
    // The store was closed and let go: this process can open it, and finds the run interrupted, its gate open.
    const store = await openStore({ stateDir: stateDirOf(files.projectFile), project: "shop" });
    try {
      expect((await store.runs.get(id))?.status).toBe("interrupted");
      expect((await store.approvals.get({ deploymentId: id, stage }))?.decision).toBeUndefined();
    } finally {
      await store.close();
    }

    const second = await startServer(files.projectFile);
    expect(second.output()).toContain(`resuming deployment ${id} (release 1.1.0 to dev, interrupted)`);
    await openGate(call, second, id);
    expect((await call(second, "POST", `/api/v1/deployments/${id}/approve`, {})).status).toBe(200);
    expect((await endOf(call, second, id)).status).toBe("succeeded");
  });
});
