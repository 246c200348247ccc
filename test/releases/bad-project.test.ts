import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.js";

describe("a release from bad project files", () => {
  it("reports every problem across slipway.yaml and its step files at once, and stores nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-bad-project-"));
    mkdirSync(join(dir, "steps"));
    writeFileSync(
      join(dir, "slipway.yaml"),
      [
        "apiVersion: slipway/v1",
        "kind: Project",
        "name: shop",
        "environments: [{ name: dev }, { name: prod }]",
        "targets:",
        "  dev: { region: us-east-1, cluster: shop-dev, endpoint: http://127.0.0.1:9 }",
        "  prod: { region: us-east-1, cluster: shop-prod, endpoint: http://127.0.0.1:9 }",
        "process:",
        "  - { name: web, uses: task-defnition, file: steps/web.taskdef.yaml }",
        "  - { name: web service, uses: service, file: steps/web.service.yaml }",
        "variables:",
        "  staging: { LOG_LEVEL: debug }",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "steps", "web.taskdef.yaml"), "family: shop-web\n");
    writeFileSync(join(dir, "steps", "web.service.yaml"), "service: shop-web\ntaskDefinition: shop-web\ndesiredCount: two\nnetwork: { subnets: [subnet-0a1b2c3d] }\n");
    const { code, out, err } = await runCli("release", "create", "1.0.0", "--project", join(dir, "slipway.yaml"));
    expect(code).toBe(2);
    expect(out).toEqual([]);
    // The unknown step kind, the unknown variables scope and the service step's bad count, each with where and a fix.
    expect(err).toMatch(/slipway\.yaml:9:\d+ \/process\/0\/uses: .*task-defnition[\s\S]*fix: Did you mean uses: task-definition\?/);
    expect(err).toMatch(/slipway\.yaml:12:\d+ \/variables\/staging: [\s\S]*fix: /);
    expect(err).toMatch(/web\.service\.yaml:3:\d+ \/desiredCount: [\s\S]*fix: /);
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, ".slipway"))).toBe(false);
  });
});
