import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateFile } from "../../src/config/load.js";
import { MAX_CONFIG_FILE_BYTES, readSource } from "../../src/config/source.js";
import { runCli } from "../cli/capture.js";
import { problemsOf, writeFiles } from "./helpers.js";

const limit = `64 KiB (${MAX_CONFIG_FILE_BYTES} bytes)`;

/** `head`, then a comment filling the file to exactly `bytes`. */
function sized(head: string, bytes: number): string {
  const comment = "# padding\n";
  return head + "#".repeat(bytes - head.length - comment.length) + comment;
}

describe("the size limit on configuration files", () => {
  it("refuses a file one byte over the limit before parsing it", () => {
    // Unclosed brackets nested 64 Ki deep: parsed, this would be a syntax error (or overflow the parser's stack).
    const file = writeFiles({ "slipway.yaml": "[".repeat(MAX_CONFIG_FILE_BYTES + 1) })["slipway.yaml"] as string;
    const doc = readSource(file);
    expect(doc.value).toBeUndefined();
    expect(doc.problems).toEqual([
      {
        file,
        path: "/",
        message: `The file is 64 KiB (${MAX_CONFIG_FILE_BYTES + 1} bytes), more than the ${limit} slipway reads in a configuration file; it was not parsed.`,
        hint: expect.stringContaining("split it") as string,
      },
    ]);
  });

  it("prints the file, its size and the limit, and exits 2", async () => {
    const file = writeFiles({ "slipway.yaml": "[".repeat(MAX_CONFIG_FILE_BYTES + 1) })["slipway.yaml"] as string;
    const { code, out, err } = await runCli("validate", file);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.split("\n").slice(0, 2)).toEqual([
      `error: 1 problem in ${file}.`,
      `  ${file} /: The file is 64 KiB (${MAX_CONFIG_FILE_BYTES + 1} bytes), more than the ${limit} slipway reads in a configuration file; it was not parsed.`,
    ]);
    expect(err).not.toContain("Syntax error");
  });

  it("parses a file of exactly the limit as usual", () => {
    const file = writeFiles({ "targets.yaml": sized("apiVersion: slipway/v1\nkind: Targets\n", MAX_CONFIG_FILE_BYTES) })["targets.yaml"] as string;
    const doc = readSource(file);
    expect(doc.problems).toEqual([]);
    expect(doc.value).toEqual({ apiVersion: "slipway/v1", kind: "Targets" });
  });

  it("reports a step file over the limit with the project's other problems, as that file's problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-config-"));
    cpSync("examples", dir, { recursive: true });
    writeFileSync(join(dir, "steps", "web.service.yaml"), sized("service: shop-web\n", MAX_CONFIG_FILE_BYTES + 100));
    const problems = problemsOf(() => validateFile(join(dir, "slipway.yaml")));
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, "steps", "web.service.yaml"), path: "/", message: expect.stringContaining(`more than the ${limit}`) as string })]);
  });

  // /dev/zero has no size to ask and never ends: only a bounded read returns at all.
  it.skipIf(process.platform !== "linux")("refuses /dev/zero, as a project file or as a step file, after reading past the limit", () => {
    expect(readSource("/dev/zero").problems).toEqual([
      expect.objectContaining({ file: "/dev/zero", path: "/", message: `The file goes on past the ${limit} slipway reads in a configuration file; reading stopped there and it was not parsed.` }),
    ]);
    expect(problemsOf(() => validateFile("/dev/zero"))).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), "slipway-config-"));
    cpSync("examples", dir, { recursive: true, filter: (source) => !source.endsWith("web.taskdef.yaml") });
    symlinkSync("/dev/zero", join(dir, "steps", "web.taskdef.yaml"));
    const problems = problemsOf(() => validateFile(join(dir, "slipway.yaml")));
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, "steps", "web.taskdef.yaml"), message: expect.stringContaining("goes on past") as string })]);
  });
});
