import { existsSync, readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

/**
 * slipway supports the maintained Node.js LTS lines (22, 24, 26 in December 2026) and says so in engines; Node 20
 * is past its end of life but still what this project's machine and CI run, so it must keep installing (npm warns
 * about engines unless engine-strict is set) and the suite keeps passing on it. CI also runs it on Node 24.
 */
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };

describe("the Node.js versions slipway supports", () => {
  it("engines admits every maintained LTS line and not the end-of-life 20", () => {
    for (const version of ["22.12.0", "24.0.0", "24.21.0", "26.0.0"]) expect(semver.satisfies(version, pkg.engines.node), version).toBe(true);
    expect(semver.satisfies("20.20.2", pkg.engines.node)).toBe(false);
    expect(lock.packages[""]?.engines?.node).toBe(pkg.engines.node);
  });

  it("Node 20 still installs it: no engine-strict that would turn npm's warning into a failure", () => {
    for (const file of [".npmrc"]) if (existsSync(file)) expect(readFileSync(file, "utf8")).not.toMatch(/engine-strict\s*=\s*true/);
  });

  it("CI runs the suite on the newest LTS from the npm registry's node package as well", () => {
    const ci = readFileSync(".ci/run", "utf8");
    expect(ci).toMatch(/npm install --prefix "\$node24_root" [^\n]*node@24/);
    expect(ci).toMatch(/PATH="\$node24_bin:\$PATH"/);
    expect(semver.satisfies("24.0.0", pkg.engines.node)).toBe(true);
  });
});
