import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { webServiceStep, webTaskdefStep } from "../support/release-world.js";
import { runCli } from "./capture.js";

/** A project whose prod canary is one task of five, then half the traffic: valid, but it deserves a warning. */
function project(stages: string[], serviceStep = webServiceStep("canary", [...stages, "environments:", "  prod: { desiredCount: 5 }"])): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-validate-warn-"));
  mkdirSync(join(dir, "steps"));
  const target = (env: string) => [`  ${env}:`, "    region: us-east-1", `    cluster: shop-${env}`, "    endpoint: http://127.0.0.1:4599", "    loadBalancer:", `      listener: { loadBalancer: shop-${env}, port: 80 }`, `      targetGroups: { primary: shop-${env}-blue, canary: shop-${env}-green }`];
  writeFileSync(
    join(dir, "slipway.yaml"),
    ["apiVersion: slipway/v1", "kind: Project", "name: shop", "environments:", "  - name: dev", "  - name: prod", "targets:", ...target("dev"), ...target("prod"), "process:", "  - name: web task definition", "    uses: task-definition", "    file: steps/web.taskdef.yaml", "  - name: web service", "    uses: service", "    file: steps/web.service.yaml", "variables:", "  default:", "    LOG_LEVEL: info", ""].join("\n"),
  );
  writeFileSync(join(dir, "steps", "web.taskdef.yaml"), webTaskdefStep(["LOG_LEVEL"]));
  writeFileSync(join(dir, "steps", "web.service.yaml"), serviceStep);
  return join(dir, "slipway.yaml");
}

describe("slipway validate: warnings a valid project deserves", () => {
  it("warns, with the numbers and the fix, when a canary stage sends more traffic than the canary has capacity for — in the environment where it does", async () => {
    const file = project(["stages:", "  - canaryRollout: { scale: 20 }", "  - trafficRouting: { canary: 50 }", "  - primaryRollout: {}", "  - trafficRouting: { primary: 100 }", "  - canaryClean: {}"]);
    const checked = await runCli("validate", file);
    expect(checked.code, checked.err).toBe(0);
    expect(checked.out[0]).toBe(`OK ${file}`);
    // dev runs 2 tasks: a 20 % canary is one of them, half the capacity, so 50 % of the traffic is its fair share.
    expect(checked.err.split("\n")).toEqual([
      expect.stringMatching(/steps\/web\.service\.yaml in prod: stage 2 traffic canary 50% sends 50% of the traffic to 1 new task\(s\), 20% of the service's 5 \(scale 20%\): each carries 2\.5× a task's usual load\. Raise the rollout's scale to 50% or lower the share to 20%\.$/),
    ]);
  });

  it("says nothing when every stage's share fits the canary", async () => {
    const file = project(["stages:", "  - canaryRollout: { scale: 50 }", "  - trafficRouting: { canary: 10 }", "  - primaryRollout: {}", "  - trafficRouting: { primary: 100 }", "  - canaryClean: {}"]);
    const checked = await runCli("validate", file);
    expect(checked).toMatchObject({ code: 0, err: "" });
  });

  it("warns about the step's own ECS strategy settings while no environment's mode uses them, and stops once one does", async () => {
    const native = ["loadBalancerRole: shop-ecs-lb", "deployment:", "  bakeTimeInMinutes: 30", "  canaryConfiguration: { canaryPercent: 10 }", "verification: { header: { name: X-Slipway-Verify, values: [green] } }"];
    const rolling = await runCli("validate", project([], webServiceStep("rolling", native)));
    expect(rolling.code, rolling.err).toBe(0);
    expect(rolling.err.split("\n")).toEqual([
      expect.stringMatching(
        /steps\/web\.service\.yaml: deployment\.bakeTimeInMinutes, deployment\.canaryConfiguration, loadBalancerRole and verification apply to no environment \(dev: rolling, prod: rolling\): no environment deploys with an ecs-\* mode\. They take effect where an environment is given mode: ecs-canary \(one line under environments: <name>:\); remove them if none will be\.$/,
      ),
    ]);
    // One line moves prod to ECS's canary: every setting is prod's, and nothing is left to warn about.
    const switched = await runCli("validate", project([], webServiceStep("rolling", [...native, "environments:", "  prod: { mode: ecs-canary }"])));
    expect(switched).toMatchObject({ code: 0, err: "" });
  });
});
