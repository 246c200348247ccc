import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitCodes } from "../../src/cli/exit-codes.js";
import { runCli } from "./capture.js";
import { writeFiles } from "../config/helpers.js";

/** One table of exit codes: what every command returns, what --help prints and what the README says. */
describe("exit codes", () => {
  it("are printed by slipway --help and in the README, row for row", async () => {
    const help = await runCli("--help");
    expect(help.code).toBe(0);
    const readme = readFileSync("README.md", "utf8");
    for (const { code, meaning } of Object.values(exitCodes)) {
      expect(help.out.join("\n")).toContain(`${String(code).padStart(3)}  ${meaning}`);
      expect(readme).toContain(`| ${code} | ${meaning} |`);
    }
  });

  it("tell bad input (2) from a thing that does not exist (5), whatever the command", async () => {
    expect((await runCli("deploy", "1.0.0", "--to", "dev", "--no-such-flag")).code).toBe(exitCodes.input.code);
    expect((await runCli("no-such-command")).code).toBe(exitCodes.input.code);
    const files = writeFiles({ "slipway.yaml": "apiVersion: slipway/v1\nkind: Project\nname: [\n" });
    const invalid = await runCli("validate", files["slipway.yaml"] as string);
    expect(invalid.code).toBe(exitCodes.input.code);
    // A copy of the example project: its store (.slipway/) is made beside it, not in the repository.
    const project = mkdtempSync(join(tmpdir(), "slipway-exit-"));
    cpSync("examples", project, { recursive: true });
    const missing = await runCli("release", "show", "9.9.9", "--project", join(project, "slipway.yaml"));
    expect(missing.err).toMatch(/^error: .*9\.9\.9/);
    expect(missing.code).toBe(exitCodes.notFound.code);
  });
});
