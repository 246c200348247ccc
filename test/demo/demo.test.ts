import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Runs `slipway demo` as a user would (built CLI), collecting its output and exit code. */
function runDemo(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/slipway.js", "demo", ...args], { env: { ...process.env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("npm run demo -- --no-serve", () => {
  it("runs the main job to completion on the embedded simulator and leaves nothing running", async () => {
    const { code, out, err } = await runDemo(["--no-serve"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    for (const env of ["dev", "test", "prod"]) {
      expect(out).toContain(`✓ 1.0.0 is live in ${env}`);
      expect(out).toContain(`✓ 1.1.0 is live in ${env}`);
    }
    // Verification over real HTTP: the header reaches only the canary, customers mostly the stable version.
    const withHeader = /with X-Shop-Verify: tester-7f3a: (shop-web:\d+) 100%/.exec(out);
    expect(withHeader).not.toBeNull();
    const majority = /without the header: (shop-web:\d+) \d+%/.exec(out)?.[1];
    expect(majority).toBeDefined();
    expect(majority).not.toBe(withHeader?.[1]);
    expect(out).toContain('approved "stage 5 approval" as demo');
    expect(out).toMatch(/prod\s+runs release 1\.1\.0; its load balancer http:\/\/127\.0\.0\.1:\d+ answers: shop-web:\d+ 100%/);
    // The simulator the demo started is gone: its endpoint no longer answers.
    const endpoint = /simulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(endpoint).toBeDefined();
    await expect(fetch(`${endpoint}/_sim/health`)).rejects.toThrow();
    expect(out).toMatch(/done in \d+\.\ds; everything the demo started has stopped\./);
  }, 120_000);
});

/** The demo as a process with the dashboard (--serve, free ports), its output read line by line. */
function startDemo(): { child: ChildProcessWithoutNullStreams; lines: string[]; waitFor(pattern: RegExp): Promise<RegExpExecArray>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["bin/slipway.js", "demo", "--serve", "--port", "0", "--speed", "300"], { env: { ...process.env, CI: "true" } });
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const w of [...waiting]) {
      const m = w.pattern.exec(line);
      if (m) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (pattern) => {
      const seen = lines.map((l) => pattern.exec(l)).find((m) => m !== null);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ pattern, resolve }));
    },
  };
}

describe("the demo stops everything it started, however it is stopped", () => {
  let taken: Server;
  let takenPort = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it("refuses a taken --port before starting anything", async () => {
    const { code, out, err } = await runDemo(["--serve", "--port", String(takenPort)]);
    expect(code).toBe(2);
    expect(err).toContain(`error: --port ${takenPort} is taken: something else already listens on that port.`);
    expect(err).toContain("--port 0 picks a free one");
    expect(out).not.toContain("starting the AWS simulator");
  });

  // SIGHUP (a closed terminal) takes the same path as SIGINT and SIGTERM (stopSignals); one process run covers it.
  it("SIGHUP: the simulator stops and the temporary project is removed", async () => {
    const demo = startDemo();
    const [, endpoint] = await demo.waitFor(/simulator at (http:\/\/127\.0\.0\.1:\d+)/);
    const [, projectFile = ""] = await demo.waitFor(/^project (\S+slipway\.yaml)$/);
    demo.child.kill("SIGHUP");
    expect(await demo.exited).toBe(130);
    await expect(fetch(`${endpoint ?? ""}/_sim/health`)).rejects.toThrow();
    expect(existsSync(dirname(projectFile))).toBe(false);
  }, 60_000);

  it("a reader that goes away (slipway demo | head) stops it too", async () => {
    const demo = startDemo();
    const [, endpoint] = await demo.waitFor(/simulator at (http:\/\/127\.0\.0\.1:\d+)/);
    demo.child.stdout.destroy();
    await demo.exited;
    await expect(fetch(`${endpoint ?? ""}/_sim/health`)).rejects.toThrow();
  }, 60_000);
});
