import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServiceStep } from "../../steps/service/load.js";
import { runCli } from "../cli/capture.js";
import { describeService } from "../sim/ecs-fixtures.js";
import { prodCanaryLines, releaseProject, webServiceStep, type ReleaseProject } from "../support/release-world.js";
import { startSim, type SimHarness } from "../support/sim.js";

/** dev rolls, prod walks a canary: one step file, the mode and stages set per environment. */
const devRollingProdCanary = webServiceStep("rolling", ["environments:", ...prodCanaryLines]);

describe("a service step whose mode differs per environment", () => {
  let h: SimHarness;
  let p: ReleaseProject;
  const cli = (...argv: string[]) => runCli(...argv, "--project", p.project, "--poll-interval", "0.02");

  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    p = await releaseProject(h);
    writeFileSync(p.serviceStep, devRollingProdCanary);
    for (const version of ["1.0.0", "1.1.0"]) expect((await runCli("release", "create", version, "--image", `web=${version}`, "--project", p.project)).code).toBe(0);
  });
  afterAll(() => h?.close());

  it("rolls in dev and walks the canary in prod, from one file; history and dry runs read each environment's mode", { timeout: 120_000 }, async () => {
    for (const environment of ["dev", "prod"]) {
      const deployed = await cli("deploy", "1.0.0", "--to", environment);
      expect(deployed.code, deployed.err).toBe(0);
    }
    expect((await describeService(h, "shop-dev", "shop-web")).deploymentController?.type ?? "ECS").toBe("ECS");
    const prod = await describeService(h, "shop-prod", "shop-web");
    expect(prod.deploymentController?.type).toBe("EXTERNAL");
    expect(prod.taskSets?.map((t) => t.status)).toEqual(["PRIMARY"]);

    expect((await cli("deploy", "1.1.0", "--to", "dev")).code).toBe(0);
    const preview = await cli("deploy", "1.1.0", "--to", "prod", "--dry-run");
    expect(preview.code, preview.err).toBe(0);
    const stages = preview.out.filter((l) => /^ {2}stage \d/.test(l)).map((l) => l.trim());
    expect(stages).toEqual(["stage 1 canary rollout 50%:", "stage 2 traffic canary 50%:", "stage 3 primary rollout:", "stage 4 traffic primary 100%:", "stage 5 canary clean:"]);
    const devHistory = await runCli("history", p.serviceStep, "--env", "dev", "--project", p.project);
    expect(devHistory.err).toBe("");
    expect(devHistory.out[0]).toMatch(/^shop-web in dev \(cluster shop-dev\), from ECS service deployments/);
    const prodHistory = await runCli("history", p.serviceStep, "--env", "prod", "--project", p.project);
    expect(prodHistory.out[0]).toMatch(/^ECS records no service deployments for shop-web: it uses the EXTERNAL deployment controller/);
  });

  it("checks each environment's stages against its own mode, where they are written", () => {
    const file = p.serviceStep.replace(/\.yaml$/, ".bad.yaml");
    writeFileSync(file, webServiceStep("rolling", ["environments:", "  dev:", "    stages:", "      - pause: { seconds: 5 }", "  prod:", "    mode: canary", "    stages:", "      - trafficRouting: { canary: 10 }"]));
    const problems = (() => {
      try {
        loadServiceStep(file, { environments: ["dev", "test", "prod"] });
        return [];
      } catch (e) {
        return (e as { problems?: { path: string; message: string }[] }).problems ?? [];
      }
    })();
    expect(problems).toContainEqual(expect.objectContaining({ path: "/environments/dev/stages", message: "stages: only applies to mode: canary and mode: blue-green." }));
    expect(problems).toContainEqual(expect.objectContaining({ path: "/environments/prod/stages", message: "mode: canary needs exactly one canaryRollout stage; there are 0." }));
    expect(problems).toContainEqual(expect.objectContaining({ path: "/environments/prod/stages/0", message: "trafficRouting comes before canaryRollout: there is no new task set yet." }));
    // The step's own stages: none, so nothing is reported at /stages.
    expect(problems.filter((p) => p.path.startsWith("/stages"))).toEqual([]);
  });
});
