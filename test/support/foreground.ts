import { spawn } from "node:child_process";
import { createServer } from "node:net";

/** A command that stays in the foreground (`slipway sim start`), run as a process group of its own. */
export interface Foreground {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once its output matches; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Stops the whole group (SIGTERM, then SIGKILL after 5 s); nothing it started is left running. */
  stop(): Promise<void>;
}

export function startForeground(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Foreground {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    output: () => text,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = pattern.exec(text);
          if (!found) return;
          waiters.delete(check);
          resolve(found[0]);
        };
        waiters.add(check);
        check();
        void exited.then((code) => {
          if (waiters.delete(check)) reject(new Error(`${command} ${args.join(" ")} exited (${code ?? "signal"}) before printing ${pattern}:\n${text}`));
        });
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const pid = child.pid;
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-pid, name);
        } catch {
          // The group is gone already.
        }
      };
      const force = setTimeout(() => signal("SIGKILL"), 5_000);
      signal("SIGTERM");
      await exited;
      clearTimeout(force);
    },
  };
}

/** A port nothing listens on now, for a project file that must name its simulator's endpoint before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
