import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The CLI as users run it: bin/slipway.js importing the compiled dist/ (npm test builds it first). */
function slipway(...args: string[]) {
  if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
  return spawnSync(process.execPath, ["bin/slipway.js", ...args], { encoding: "utf8", timeout: 20_000 });
}

describe("the built slipway CLI", () => {
  it("validates the example and exits 0", () => {
    const result = slipway("validate", "examples/slipway.yaml");
    // One note: the example keeps ECS canary settings ready for an environment switched by one line.
    expect(result.stderr).toMatch(/^examples\/steps\/web\.service\.yaml: deployment\.bakeTimeInMinutes, deployment\.canaryConfiguration, verification and approvals apply to no environment [^\n]*\n$/);
    expect(result.stdout).toBe("OK examples/slipway.yaml\nOK examples/targets.yaml\n");
    expect(result.status).toBe(0);
  });

  it("finds its schemas from dist/ and exits 2 on a broken project", () => {
    const result = slipway("validate", "test/fixtures/config/broken-project/slipway.yaml");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("test/fixtures/config/broken-project/targets.yaml:5:13 /targets/dev/region:");
  });

  it("says nothing more, and no stack trace, once the reader of its output has gone (slipway targets | head -0)", async () => {
    const child = spawn(process.execPath, ["bin/slipway.js", "targets", "--project", "examples/slipway.yaml"], { stdio: ["ignore", "pipe", "pipe"] });
    // No reader from the start: the CLI's first write to stdout fails with EPIPE.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("prints its version", () => {
    const result = slipway("--version");
    expect(result.stdout.trim()).toBe((JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version);
    expect(result.status).toBe(0);
  });
});

describe("the package npm pack makes", () => {
  // --ignore-scripts: dist/ is built already (npm test builds it); packing only lists what would go in.
  const packed = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", timeout: 60_000 });
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];

  it("holds what the CLI needs at run time: the compiled code, schemas, dashboard, OpenAPI documents, examples", () => {
    for (const needed of ["bin/slipway.js", "dist/src/cli/main.js", "dist/steps/service/index.js", "schemas/steps/service.schema.json", "dashboard/index.html", "src/api/openapi.yaml", "feed/openapi.yaml", "examples/slipway.yaml"]) expect(files).toContain(needed);
  });

  it("holds nothing else: no tests, TypeScript sources, source maps or benchmarks", () => {
    expect(files.filter((f) => /^(test|bench|scripts)\/|^dist\/(test|bench)\/|\.ts$|\.map$/.test(f))).toEqual([]);
  });
});
