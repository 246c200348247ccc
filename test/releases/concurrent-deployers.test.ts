import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.js";
import { releaseProject, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";

interface Finished {
  code: number | null;
  out: string;
  err: string;
}

/** `slipway deploy` in a process of its own, as a second terminal or CI runner would run it. */
function deployProcess(p: ReleaseProject, env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/slipway.js", "deploy", "1.0.0", "--to", "dev", "--project", p.project, "--poll-interval", "0.1"], { env: { ...process.env, ...env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

/** Runs in-process CLI commands against the same store the deployer processes use. */
async function withStoreEnv<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
  const saved = process.env.DATABASE_URL;
  if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

const backends: { name: string; env: NodeJS.ProcessEnv; skip: boolean }[] = [
  { name: "the embedded store (PGlite, handed between the two processes)", env: {}, skip: false },
  { name: "a shared PostgreSQL (SLIPWAY_TEST_DATABASE_URL; skipped without it)", env: { DATABASE_URL: process.env.SLIPWAY_TEST_DATABASE_URL ?? "" }, skip: !process.env.SLIPWAY_TEST_DATABASE_URL },
];

describe.each(backends)("two deployers of one service in one environment at once, over $name", ({ env, skip }) => {
  let h: SimHarness;
  let p: ReleaseProject;
  beforeAll(async () => {
    if (skip) return;
    // Slow enough that the first deployment is still rolling when the second asks for the lock.
    h = await startSim({ speed: 20 });
    p = await releaseProject(h);
    const created = await withStoreEnv(env, () => runCli("release", "create", "1.0.0", "--project", p.project));
    expect(created.err).toBe("");
  }, 60_000);
  afterAll(async () => {
    if (!skip) await h.close();
  });

  it.skipIf(skip)("exactly one deploys; the other is refused naming the deployment that holds the service", async () => {
    const [a, b] = await Promise.all([deployProcess(p, env), deployProcess(p, env)]);
    const results = [a, b];
    const won = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code !== 0);
    expect(won, JSON.stringify(results, null, 2)).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.code).toBe(4);
    // Refused by the lease, or — when the winner had already recorded its run — by the run in progress: either way naming it.
    const winner = /deployment (release-dev-1\.0\.0-\S+) \(if interrupted/.exec(won[0]?.out ?? "")?.[1];
    expect(winner).toBeDefined();
    expect(refused[0]?.err).toContain(winner);
    expect(won[0]?.out).toMatch(/release 1\.0\.0 is deployed to dev/);
    const status = await withStoreEnv(env, () => runCli("status", "--json", "--project", p.project));
    const parsed = JSON.parse(status.out.join("\n")) as { releases: { environments: Record<string, { status: string }> }[] };
    expect(parsed.releases[0]?.environments.dev?.status).toBe("succeeded");
  }, 120_000);
});
