import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { packageRoot } from "../config/package-root.js";

export interface SimulatorProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * The AWS simulator in a process of its own (`slipway sim start`): the demo reaches it over HTTP exactly as it
 * would reach AWS, and stopping the demo stops it, leaving nothing running.
 */
export async function startSimulatorProcess(options: { speed: number; port?: number; frontendBasePort?: number }): Promise<SimulatorProcess> {
  const bin = join(packageRoot(), "bin", "slipway.js");
  const args = [bin, "sim", "start", "--stop-with-stdin", "--port", String(options.port ?? 0), "--speed", String(options.speed), ...(options.frontendBasePort !== undefined ? ["--frontend-base-port", String(options.frontendBasePort)] : [])];
  // Its stdin is a pipe from this process: when this process ends in any way — killed included — the pipe closes
  // and the simulator stops, so no demo leaves a simulator holding its ports.
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (url) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`the simulator exited (code ${code ?? "?"}) before it listened: ${stderr.trim()}`)));
    child.once("error", reject);
  });
  return { endpoint, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
