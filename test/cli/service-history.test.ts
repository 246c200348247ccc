import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ProjectStores } from "../support/project-store.js";
import { startSim, type SimHarness } from "../support/sim.js";
import { createCluster, registerWeb } from "../sim/ecs-fixtures.js";
import { runCli } from "./capture.js";

function writeProject(dir: string, endpoint: string): void {
  writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\n  - name: prod\ntargets: targets.yaml\n");
  writeFileSync(join(dir, "targets.yaml"), `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n    region: us-east-1\n    cluster: shop-dev\n    endpoint: ${endpoint}\n  prod:\n    region: us-east-1\n    cluster: shop-prod\n    endpoint: ${endpoint}\n`);
}

const motoUrl = inject("motoUrl");

/**
 * moto has no ListServiceDeployments (it answers HTTP 500 "not implemented"), so against it `slipway history`
 * says so and shows slipway's own records — here the ones a deploy against the simulator left in the project's store.
 */
describe.skipIf(!motoUrl)(`slipway history where the endpoint has no service deployments${motoUrl ? "" : ` (skipped: ${inject("motoUnavailable")})`}`, () => {
  let h: SimHarness;
  const dir = mkdtempSync(join(tmpdir(), "slipway-history-"));
  beforeAll(async () => {
    h = await startSim({ speed: 200 });
    await createCluster(h, "shop-dev");
    await registerWeb(h, "shop-web", "shop/web:1.0.0");
    await registerWeb(h, "shop-web", "shop/web:1.1.0");
    copyFileSync("test/fixtures/steps/service/web.service.yaml", join(dir, "web.service.yaml"));
  });
  const stores = new ProjectStores();
  afterAll(async () => {
    await stores.closeAll();
    await h.close();
  });

  it("falls back to slipway's records, saying why", async () => {
    writeProject(dir, h.url);
    const step = join(dir, "web.service.yaml");
    const project = join(dir, "slipway.yaml");
    for (const revision of ["shop-web:1", "shop-web:2"]) {
      expect((await runCli("service", "deploy", step, "--env", "dev", "--project", project, "--poll-interval", "0.02", "--task-definition", revision)).code).toBe(0);
    }
    writeProject(dir, motoUrl ?? "");
    const { code, out, err } = await runCli("history", step, "--env", "dev", "--project", project);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out[0]).toBe(`ECS service deployments are not offered by this endpoint: the endpoint does not offer ecs:ListServiceDeployments (it answered SyntaxError). Showing slipway's own records from ${(await stores.of(project)).location} (times are AWS's clock, UTC):`);
    expect(out[2]).toMatch(/ SUCCESSFUL +shop-web:1 → shop-web:2 +not tripped, rollback on +0$/);
    expect(out[3]).toMatch(/ SUCCESSFUL +\(none\) → shop-web:1 +not tripped, rollback on +0$/);
  });
});
