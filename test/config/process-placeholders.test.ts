import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeployableProject } from "../../src/config/load.js";
import { runCli } from "../cli/capture.js";
import { problemsOf, writeFiles } from "./helpers.js";

const project = (processEnvironments: string, variables: string) =>
  [
    "apiVersion: slipway/v1",
    "kind: Project",
    "name: shop",
    "environments:",
    "  - name: dev",
    "  - name: test",
    "  - name: prod",
    "targets:",
    "  dev: { region: us-east-1, cluster: dev }",
    "  test: { region: us-east-1, cluster: test }",
    "  prod: { region: us-east-1, cluster: prod }",
    "process:",
    "  - name: web task definition",
    "    uses: task-definition",
    "    file: web.taskdef.yaml",
    processEnvironments,
    variables,
    "",
  ].join("\n");

const step = [
  "family: shop-web",
  "definition:",
  "  containerDefinitions:",
  "    - name: web",
  "      image: shop/web",
  "      environment:",
  "        - { name: PAYMENT_URL, value: '${PAYMENT_URL}' }",
  "        - { name: LOG_LEVEL, value: '${LOG_LEVEL}' }",
  "images:",
  '  web: { tag: "1.0.0" }',
  "variables:",
  "  default:",
  "    LOG_LEVEL: info",
  "",
].join("\n");

/**
 * A placeholder that would have no value in some environment is found when the project is read — by validate and
 * by release create alike — not by a deployment after the release was frozen.
 */
describe("placeholders every environment can fill", () => {
  it("names the placeholder, where it is written and the environments that lack it", () => {
    const files = writeFiles({ "web.taskdef.yaml": step, "slipway.yaml": project("", "variables:\n  prod:\n    PAYMENT_URL: https://pay.example\n") });
    expect(problemsOf(() => loadDeployableProject(files["slipway.yaml"] as string))).toEqual([
      expect.objectContaining({
        file: files["web.taskdef.yaml"],
        path: "/definition/containerDefinitions/0/environment/0/value",
        line: 7,
        message: "The variable ${PAYMENT_URL} has no value in dev, test.",
        hint: expect.stringContaining("Define PAYMENT_URL under variables: in slipway.yaml") as string,
      }),
    ]);
  });

  it("counts only the environments the step runs in, and the project's default scope for all of them", () => {
    const onlyProd = writeFiles({ "web.taskdef.yaml": step, "slipway.yaml": project("    environments: [prod]", "variables:\n  prod:\n    PAYMENT_URL: https://pay.example\n") });
    expect(loadDeployableProject(onlyProd["slipway.yaml"] as string).process.steps).toHaveLength(1);
    const byDefault = writeFiles({ "web.taskdef.yaml": step, "slipway.yaml": project("", "variables:\n  default:\n    PAYMENT_URL: https://pay.example\n") });
    expect(loadDeployableProject(byDefault["slipway.yaml"] as string).process.steps).toHaveLength(1);
  });

  it("refuses release create with exit 2 before anything is read or stored, as validate does", async () => {
    const files = writeFiles({ "web.taskdef.yaml": step.replace("PAYMENT_URL}", "PAYMNT_URL}"), "slipway.yaml": project("", "variables:\n  default:\n    PAYMENT_URL: https://pay.example\n") });
    for (const argv of [["validate", files["slipway.yaml"] as string], ["release", "create", "1.0.0", "--project", files["slipway.yaml"] as string]]) {
      const { code, err } = await runCli(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err).toContain("The variable ${PAYMNT_URL} has no value in any environment.");
      expect(err).toContain("fix: Did you mean ${PAYMENT_URL}?");
    }
    expect(existsSync(join(dirname(files["slipway.yaml"] as string), ".slipway")), "no store was opened").toBe(false);
  });
});
