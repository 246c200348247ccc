import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startApiWorld, type ApiWorld } from "../api/api-world.js";
import { listening } from "../api/sse.js";

/**
 * A CI runner starts empty every time: with SLIPWAY_SERVER and SLIPWAY_API_KEY the CLI works through a running
 * `slipway serve`, so releases, the lifecycle's record, gates and locks outlive it. Two runners — fresh folders, no
 * .slipway/, no AWS credentials — drive one release from creation to prod through one server.
 */

const cli = resolve("bin/slipway.js");

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** The built CLI in a process of its own, in `dir`, with only the environment a CI runner would give it. */
function runIn(dir: string, env: Record<string, string>, args: string[]): Promise<Ran> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|SLIPWAY_|DATABASE_URL$)/.test(k))) as Record<string, string>;
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...base, CI: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((done) => child.once("close", (code) => done({ code, out, err })));
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

const folders: string[] = [];
function freshFolder(projectName?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-runner-"));
  folders.push(dir);
  if (projectName) writeFileSync(join(dir, "slipway.yaml"), `apiVersion: slipway/v1\nkind: Project\nname: ${projectName}\n`);
  return dir;
}

describe("the CLI through a server (--server, SLIPWAY_SERVER)", () => {
  let world: ApiWorld;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
    world = await startApiWorld({ gateIn: ["prod"] });
    server = await listening(world.app);
  }, 60_000);

  const setSpeed = async (speed: number) => {
    const res = await fetch(`${world.h.url}/_sim/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ speed }) });
    expect(res.status).toBe(200);
  };

  afterAll(async () => {
    await server?.close();
    await world?.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it("two fresh runners take one release from creation to prod through one server, and keep nothing themselves", async () => {
    const admin = { SLIPWAY_SERVER: server.url, SLIPWAY_API_KEY: world.keys.admin };
    // The first runner has the repository's checkout (its slipway.yaml names the server's project); the second nothing.
    const first = freshFolder("shop");
    const second = freshFolder();

    const created = await runIn(first, admin, ["release", "create", "1.0.0", "--notes", "from CI"]);
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^release 1\.0\.0 \(channel \w+\) created .* by admin: from CI/);
    expect(created.out).toMatch(/web: .* sha256:[0-9a-f]{64}/);

    const plan = await runIn(first, admin, ["deploy", "1.0.0", "--to", "dev", "--dry-run"]);
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).toMatch(/^dry run: release 1\.0\.0 to dev\n[\s\S]*step "web service" \(service\)[\s\S]*dry run: nothing was changed\n$/);
    expect(await world.store.runs.list({ release: "1.0.0" })).toEqual([]);

    const dev = await runIn(first, admin, ["deploy", "1.0.0", "--to", "dev"]);
    expect(dev.code, dev.err).toBe(0);
    expect(dev.out).toMatch(/deploying release 1\.0\.0 to dev at http:\/\/127\.0\.0\.1:\d+: deployment \S+/);
    expect(dev.out).toMatch(/\[step\]/);
    expect(dev.out).toContain("release 1.0.0 is deployed to dev");

    // The other runner knows nothing locally: the server's store says where the release succeeded.
    const test = await runIn(second, admin, ["promote", "1.0.0"]);
    expect(test.code, test.err).toBe(0);
    expect(test.out).toContain("release 1.0.0 is deployed to test");

    // prod waits at its sign-off gate; the first runner approves it while the second follows the deployment.
    const prodRun = runIn(second, admin, ["promote", "1.0.0", "--json"]);
    const waiting = await eventually("prod's gate to open", async () => {
      const status = await runIn(first, admin, ["status", "--json"]);
      const prod = (JSON.parse(status.out) as { environments: { name: string; inProgress: { id: string; waiting?: unknown }[] }[] }).environments.find((e) => e.name === "prod");
      return prod?.inProgress.find((r) => r.waiting)?.id;
    }, 60_000);
    const approved = await runIn(first, admin, ["approve", waiting, "--reason", "smoke tests green"]);
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toBe(`approved "sign-off" of deployment ${waiting} as admin: smoke tests green\n`);
    const prod = await prodRun;
    expect(prod.code, prod.err).toBe(0);
    expect(JSON.parse(prod.out)).toMatchObject({ id: waiting, release: "1.0.0", environment: "prod", status: "succeeded", requestedBy: "admin" });
    expect(prod.err).toContain("[gate] sign-off: approved by admin");

    const status = await runIn(second, admin, ["status"]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/^1\.0\.0\s+✓\s+✓\s+✓\s*$/m);
    const history = await runIn(second, admin, ["history", "--env", "prod"]);
    expect(history.out).toMatch(/1\.0\.0\s+admin\s+succeeded/);
    for (const dir of [first, second]) expect(readdirSync(dir).filter((f) => f !== "slipway.yaml")).toEqual([]);
  }, 180_000);

  it("a deployment that fails, or that another runner aborts, ends the follower with exit 3 and the server's reason", async () => {
    const admin = { SLIPWAY_SERVER: server.url, SLIPWAY_API_KEY: world.keys.admin };
    const runner = freshFolder();
    // 1.3.0 fails its health checks: ECS's circuit breaker stops the deployment and the server rolls it back.
    expect((await runIn(runner, admin, ["release", "create", "2.0.0", "--image", "web=1.3.0"])).code).toBe(0);
    const failed = await runIn(runner, admin, ["deploy", "2.0.0", "--to", "dev"]);
    expect(failed.code).toBe(3);
    expect(failed.err).toMatch(/^error: Deploying shop-web to shop-web:\d+ failed \(ROLLBACK_SUCCESSFUL\)/m);

    // With the simulator's clock stopped the deployment cannot settle, so the abort surely finds it running.
    expect((await runIn(runner, admin, ["release", "create", "2.1.0", "--image", "web=1.1.0"])).code).toBe(0);
    await setSpeed(0);
    const following = runIn(runner, admin, ["deploy", "2.1.0", "--to", "dev"]);
    const id = await eventually("the deployment to start", async () => (await world.store.runs.list({ release: "2.1.0" }))[0]?.id);
    const aborted = await runIn(freshFolder(), admin, ["abort", id, "--reason", "wrong build"]);
    await setSpeed(200);
    expect(aborted.code, aborted.err).toBe(0);
    expect(aborted.out).toContain(`abort requested: deployment ${id} stops at its next safe point`);
    const ended = await following;
    expect(ended.code).toBe(3);
    expect((await world.store.runs.get(id))?.status).toMatch(/rolled-back|aborted/);

    // Deployed after all, then rolled back from CI: dev runs 1.0.0 again.
    expect((await runIn(runner, admin, ["deploy", "2.1.0", "--to", "dev"])).code).toBe(0);
    const back = await runIn(freshFolder(), admin, ["rollback", "--env", "dev"]);
    expect(back.code, back.err).toBe(0);
    expect(back.out).toMatch(/^rolling dev back from release 2\.1\.0 to 1\.0\.0 at http:\/\/127\.0\.0\.1:\d+: deployment (\S+)/);
    expect(back.out).toMatch(/dev runs release 1\.0\.0 again \(rolled back from 2\.1\.0; deployment \S+\)\n$/);
  }, 180_000);

  it("a key's scopes are the server's to enforce: refused before anything starts, exit 7", async () => {
    const devtest = freshFolder();
    const refused = await runIn(devtest, { SLIPWAY_SERVER: server.url, SLIPWAY_API_KEY: world.keys.devtest }, ["deploy", "1.0.0", "--to", "prod"]);
    expect(refused.code).toBe(7);
    expect(refused.err).toContain('error: The key "devtest" may not deploy to prod');
    expect(refused.err).toMatch(/hint: .*--deploy prod/);
    expect(await world.store.runs.list({ environment: "prod", release: "1.0.0" })).toHaveLength(1);

    const noKey = await runIn(devtest, { SLIPWAY_SERVER: server.url }, ["status"]);
    expect(noKey.code).toBe(7);
    expect(noKey.err).toMatch(/refused the key.*\nhint: Set SLIPWAY_API_KEY/);
  }, 60_000);

  it("refuses what would act on the wrong project, beside the server, or in clear text — before any request", async () => {
    const key = { SLIPWAY_API_KEY: world.keys.admin };
    const other = await runIn(freshFolder("billing"), { ...key, SLIPWAY_SERVER: server.url }, ["release", "create", "9.9.9"]);
    expect(other.code).toBe(2);
    expect(other.err).toContain(`slipway.yaml is the project "billing", but ${server.url} deploys "shop"`);
    expect(await world.store.releases.get("9.9.9")).toBeUndefined();

    const beside = await runIn(freshFolder("shop"), { ...key, SLIPWAY_SERVER: server.url }, ["approvals"]);
    expect(beside.code).toBe(2);
    expect(beside.err).toContain("SLIPWAY_SERVER is set");

    const clear = await runIn(freshFolder(), key, ["status", "--server", "http://slipway.example.com"]);
    expect(clear.code).toBe(2);
    expect(clear.err).toContain("the API key would cross the network unencrypted");

    const port = await closedPort();
    const gone = await runIn(freshFolder(), key, ["status", "--server", `http://127.0.0.1:${port}`]);
    expect(gone.code).toBe(7);
    expect(gone.err).toContain(`Cannot reach the slipway server at http://127.0.0.1:${port} (ECONNREFUSED)`);
  }, 60_000);
});
