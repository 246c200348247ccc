import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

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
