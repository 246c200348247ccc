import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * `slipway demo` as a person runs it, in a child process: its output read line by line, what it started found
 * through /proc, and Ctrl-C sent to it alone — so a test sees whether the demo itself stops everything it started.
 */
export interface DemoChild {
  child: ChildProcess;
  output(): string;
  /** The first line matching, waiting for it; fails when the demo exits first or the time is up. */
  line(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Every process below the demo's, found through /proc (empty where there is no /proc). */
  descendants(): number[];
  /** SIGINT to the demo process only, then its exit code (SIGKILL after `timeoutMs`). */
  interrupt(timeoutMs: number): Promise<number | null>;
  /** Whatever is left of the demo's process group, killed: for a test that failed half-way. */
  kill(): void;
}

const bin = fileURLToPath(new URL("../../bin/slipway.js", import.meta.url));

export function startDemo(args: string[]): DemoChild {
  // Its own process group, so a failed test can take down the demo and what it started in one go.
  const child = spawn(process.execPath, [bin, "demo", ...args], { env: { ...process.env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const waiters = new Set<() => void>();
  const heard = (chunk: Buffer) => {
    output += chunk.toString();
    waiters.forEach((w) => w());
  };
  child.stdout?.on("data", heard);
  child.stderr?.on("data", heard);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("exit", () => waiters.forEach((w) => w()));

  return {
    child,
    output: () => output,
    line(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`the demo did not print ${pattern} within ${timeoutMs / 1000}s; it printed:\n${output}`)), timeoutMs);
        const finish = (error?: Error, found?: RegExpExecArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(found as RegExpExecArray);
        };
        const check = () => {
          const found = pattern.exec(output);
          if (found) finish(undefined, found);
          else if (child.exitCode !== null || child.signalCode !== null) finish(new Error(`the demo exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`));
        };
        waiters.add(check);
        check();
      });
    },
    descendants: () => descendantsOf(child.pid ?? -1),
    async interrupt(timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const force = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.kill("SIGINT");
      const code = await exited;
      clearTimeout(force);
      return code;
    },
    kill() {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    },
  };
}

function parentOf(pid: string): number | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

export function descendantsOf(root: number): number[] {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const parents = new Map(pids.map((pid) => [Number(pid), parentOf(pid)]));
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts connections at the URL's host and port. */
export function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
