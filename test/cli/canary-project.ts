import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedProjectStore } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import type { Shop } from "../steps/service/task-sets/world.js";

export interface CanaryProject {
  dir: string;
  project: string;
  step: string;
}

/**
 * A project whose dev target points at the simulator and at the shop's listener and two target groups, its store
 * (gates, journals, records, locks) already created: a test reads it with ProjectStores.of(project), as
 * `slipway approve` in another terminal would.
 */
export async function canaryProject(h: SimHarness, s: Shop): Promise<CanaryProject> {
  const dir = mkdtempSync(join(tmpdir(), "slipway-canary-"));
  writeFileSync(join(dir, "slipway.yaml"), "apiVersion: slipway/v1\nkind: Project\nname: shop\nenvironments:\n  - name: dev\ntargets: targets.yaml\n");
  const lb = s.target.loadBalancer;
  writeFileSync(
    join(dir, "targets.yaml"),
    `apiVersion: slipway/v1\nkind: Targets\ntargets:\n  dev:\n    region: us-east-1\n    cluster: shop-dev\n    endpoint: ${h.url}\n    loadBalancer:\n      listener: ${s.listenerArn}\n      targetGroups:\n        primary: ${lb?.targetGroups.primary ?? ""}\n        canary: ${lb?.targetGroups.canary ?? ""}\n`,
  );
  const step = join(dir, "canary.service.yaml");
  copyFileSync("test/fixtures/steps/service/canary.service.yaml", step);
  writeFileSync(step, readFileSync(step, "utf8").replace("service: shop-web", `service: ${s.name}`));
  await seedProjectStore(dir);
  return { dir, project: join(dir, "slipway.yaml"), step };
}

