import { afterEach, describe, expect, it } from "vitest";
import { writeFiles } from "../config/helpers.js";
import { runCli } from "./capture.js";

const broken = "test/fixtures/config/broken-project";

describe("slipway validate", () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it("prints OK for a project and the targets file it points at, and exits 0", async () => {
    // The example keeps ECS canary settings ready for a one-line switch of an environment: one line says so.
    expect(await runCli("validate", "examples/slipway.yaml")).toEqual({
      code: 0,
      out: ["OK examples/slipway.yaml", "OK examples/targets.yaml"],
      err: expect.stringMatching(/^examples\/steps\/web\.service\.yaml: deployment\.bakeTimeInMinutes, deployment\.canaryConfiguration, verification and approvals apply to no environment \(dev: canary, test: canary, prod: canary\)[^\n]*$/) as string,
    });
  });

  it("checks a targets file on its own", async () => {
    expect(await runCli("validate", "examples/targets.yaml")).toEqual({ code: 0, out: ["OK examples/targets.yaml"], err: "" });
  });

  it("checks ./slipway.yaml when no file is named", async () => {
    process.chdir("examples");
    expect(await runCli("validate")).toMatchObject({ code: 0, out: ["OK slipway.yaml", "OK targets.yaml"] });
  });

  it("prints every problem with file:line:column, path, message and fix, and exits 2", async () => {
    const { code, out, err } = await runCli("validate", `${broken}/slipway.yaml`);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    const lines = err.split("\n");
    expect(lines[0]).toBe(`error: 14 problems in ${broken}/slipway.yaml and ${broken}/targets.yaml.`);
    expect(lines).toContain(`  ${broken}/targets.yaml:10:5 /targets/prod/reigon: Unknown key "reigon".`);
    expect(lines).toContain(`    fix: Did you mean "region"? The keys allowed here are: region, cluster, account, roleArn, externalId, profile, endpoint, loadBalancer, secrets.`);
    expect(lines).toContain(`  ${broken}/slipway.yaml:2:13 /apiVersion: "apiVersion" must be "slipway/v1", not "slipway/v2".`);
    expect(lines.filter((l) => l.startsWith("    fix: "))).toHaveLength(14);
    expect(lines.at(-1)).toBe("hint: Fix them and run slipway validate again.");
    expect(err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("checks the process and every step file too, printing their problems with the project's", async () => {
    const files = writeFiles({
      "slipway.yaml":
        "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\ntargets:\n  dev: { region: us-east-1, cluster: dev }\n" +
        "process:\n  - { name: sign-off, uses: manual-intervension, file: signoff.yaml }\n  - { name: approve, uses: manual-intervention, file: approve.yaml }\n",
      "signoff.yaml": "instructions: Check the dashboard.\n",
      "approve.yaml": "stage: approve\ntimeoutSeconds: 0\n",
    });
    const project = files["slipway.yaml"] as string;
    const step = files["approve.yaml"] as string;
    const { code, err } = await runCli("validate", project);
    expect(code).toBe(2);
    const lines = err.split("\n");
    expect(lines[0]).toBe(`error: 3 problems in ${project} and ${step}.`);
    expect(lines).toContain(`  ${project}:9:29 /process/0/uses: "manual-intervension" is not a step slipway has.`);
    expect(lines).toContain(`    fix: Did you mean uses: manual-intervention? The steps are: task-definition, service, verification, manual-intervention.`);
    expect(lines).toContain(`  ${step}:1:1 /instructions: Required key "instructions" is missing.`);
    expect(lines.some((l) => l.startsWith(`  ${step}:2:17 /timeoutSeconds:`))).toBe(true);
  });

  it("reports bad YAML syntax at its position, without a stack trace", async () => {
    const files = writeFiles({ "slipway.yaml": "apiVersion: slipway/v1\nkind: Project\nenvironments:\n  - name: dev\n   optional: true\n" });
    const { code, err } = await runCli("validate", files["slipway.yaml"] as string);
    expect(code).toBe(2);
    expect(err).toContain(`${files["slipway.yaml"] as string}:5:1 /: Syntax error: Sequence item without - indicator.`);
    expect(err).not.toContain("YAMLParseError");
  });

  it("refuses a file that does not exist with exit code 2", async () => {
    const { code, err } = await runCli("validate", "nowhere.yaml");
    expect(code).toBe(2);
    expect(err).toBe("error: nowhere.yaml does not exist.\nhint: Check the path. slipway reads ./slipway.yaml unless you name another file.");
  });
});
