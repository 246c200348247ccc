import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startForeground, type Foreground } from "../support/foreground.js";

/**
 * README "Install", followed as a new user would: the package `npm pack` makes, installed with
 * `npm install -g` under a prefix of its own, run from an empty folder outside the repository with the example
 * project copied out of the installed package, against the installed CLI's own simulator.
 */
const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

describe("the packed tarball, installed and run from an empty folder", () => {
  let root: string;
  let folder: string;
  let slipwayBin: string;
  let simulator: Foreground | undefined;
  // The installed bin starts with `#!/usr/bin/env node`: this test's Node comes first on the PATH.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`, SHOP_DB_PASSWORD: "sim-only-password" };
  const run = (command: string, args: string[], cwd: string, timeout = 90_000) => spawnSync(command, args, { cwd, env, encoding: "utf8", timeout });
  const slipway = (...args: string[]) => run(slipwayBin, args, folder);

  beforeAll(() => {
    if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/ is missing: run `npm run build` first (npm test does it for you).");
    root = mkdtempSync(join(tmpdir(), "slipway-packed-"));
    // --ignore-scripts: dist/ is built (npm test builds it); rebuilding it here would rewrite files other test files run.
    const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", root], process.cwd());
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = join(root, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? "");
    // The dependencies come from npm's cache when it has them (CI runs npm ci just before), else the registry.
    const installed = run("npm", ["install", "-g", "--prefix", join(root, "prefix"), tarball, "--prefer-offline", "--no-audit", "--no-fund"], root, 110_000);
    expect(installed.status, installed.stderr).toBe(0);
    slipwayBin = join(root, "prefix", "bin", "slipway");
    folder = mkdtempSync(join(tmpdir(), "slipway-new-user-"));
  }, 150_000);

  afterAll(async () => {
    await simulator?.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it("prints its version from a folder with nothing in it", () => {
    expect(readdirSync(folder)).toEqual([]);
    const result = slipway("--version");
    expect(result.stdout.trim()).toBe(version);
    expect(result.status).toBe(0);
  });

  it("starts its simulator for the example project it ships, creates a release and deploys it to dev", async () => {
    const globalRoot = run("npm", ["root", "-g", "--prefix", join(root, "prefix")], folder).stdout.trim();
    cpSync(join(globalRoot, "slipway", "examples"), folder, { recursive: true });
    // Port 4599 may be taken on a shared machine: the targets point at a free one instead, as the README says.
    const targets = join(folder, "targets.yaml");
    writeFileSync(targets, readFileSync(targets, "utf8").replaceAll("http://127.0.0.1:4599", `http://127.0.0.1:${await freePort()}`));
    simulator = startForeground(slipwayBin, ["sim", "start", "--project", "slipway.yaml", "--speed", "100", "--frontend-base-port", "0", "--image", "shop/web:1.0.0"], { cwd: folder, env });
    await simulator.waitFor(/press Ctrl-C to stop/);
    expect(simulator.output()).toContain("created image shop/web:1.0.0");

    const release = slipway("release", "create", "1.0.0");
    expect(release.stderr).toBe("");
    expect(release.status).toBe(0);
    const deployed = slipway("deploy", "1.0.0", "--to", "dev", "--poll-interval", "0.2");
    expect(deployed.status, deployed.stderr).toBe(0);
    expect(deployed.stdout).toContain("release 1.0.0 is deployed to dev");
  });
});
