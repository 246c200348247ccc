import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { packageRoot } from "../../src/config/package-root.js";
import type { Observation } from "./watch.js";

/** The built CLI (bin/slipway.js) in a child process, as a person runs it; its lines kept with their times. */
export interface CliRun {
  child: ChildProcess;
  lines: Observation[];
  done: Promise<number | string>;
}

const bin = join(packageRoot(), "bin", "slipway.js");

export function cli(dir: string, args: string[], started: number, label: string): CliRun {
  const child = spawn(process.execPath, [bin, ...args, "--project", join(dir, "slipway.yaml")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  const lines: Observation[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on("line", (line) => lines.push({ t: performance.now() - started, text: `${label}: ${line}` }));
  }
  const done = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  return { child, lines, done };
}

export async function cliOk(dir: string, args: string[]): Promise<void> {
  const run = cli(dir, args, performance.now(), args[0] ?? "");
  const code = await run.done;
  if (code !== 0) throw new Error(`slipway ${args.join(" ")} exited ${code}:\n${run.lines.map((l) => l.text).join("\n")}`);
}

export const deploymentIdOf = (run: CliRun): string | undefined => run.lines.map((l) => /deployment (\S+) \(if interrupted/.exec(l.text)?.[1]).find(Boolean);

/** Polls `check` every 10 ms: a condition on what the watch or a child printed, never on how fast the machine is. */
export async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
