import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Starts one moto_server for the whole test run, so the fidelity suite can run each scenario against slipway's
 * simulator and against moto. Test files run in parallel forked processes and share this one server; they do
 * not reset it (POST /moto-api/reset wipes every account and region, i.e. every other file's scenario too).
 * Each scenario instead works in an account of its own (see test/support/backends.ts), which moto keeps apart.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** moto_server's base URL, or null when moto is not installed (the moto half of the suite is skipped). */
    motoUrl: string | null;
    /** Why motoUrl is null, with how to fix it. */
    motoUnavailable: string;
  }
}

const startupTimeoutMs = 30_000;

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + startupTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} while starting; its log:\n${readFileSync(logFile, "utf8")}`);
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer at ${url} within ${startupTimeoutMs / 1000}s; its log is ${logFile}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const binary = join(project.config.root, ".venv", "bin", "moto_server");
  if (!existsSync(binary)) {
    const reason = `moto is not installed (${binary} is missing); install it with: bash scripts/ensure-python-tools.sh (npm test runs it for you)`;
    // In CI a missing peer must not pass quietly as "skipped": the fidelity proof would silently vanish.
    if (process.env.CI === "true") throw new Error(`CI=true and ${reason}`);
    console.warn(`[moto] skipping the moto half of the fidelity suite: ${reason}`);
    project.provide("motoUrl", null);
    project.provide("motoUnavailable", reason);
    return undefined;
  }

  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(tmpdir(), `slipway-moto-${port}.log`);
  const log = openSync(logFile, "w");
  // moto logs every request; to a file rather than a pipe nobody drains, which would stall it once full.
  const child = spawn(binary, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", log, log] });
  closeSync(log);
  try {
    await waitUntilAnswering(url, child, logFile);
  } catch (error) {
    await stop(child);
    throw error;
  }
  project.provide("motoUrl", url);
  project.provide("motoUnavailable", "");
  return async () => {
    await stop(child);
    // The log only matters while moto runs or when it failed to start (kept above); don't litter the tmp dir.
    rmSync(logFile, { force: true });
  };
}
