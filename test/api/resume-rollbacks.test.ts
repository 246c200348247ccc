import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resumeOrphanedRuns } from "../../src/api/resume-runs.js";
import type { Store } from "../../src/engine/store.js";
import { openStore } from "../../src/storage/open-store.js";
import { Lifecycle } from "../../targets/lifecycle.js";
import { freshEmbeddedStateDir } from "../storage/store-backends.js";

describe("a server starting with a rollback left running", () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await freshEmbeddedStateDir();
    store = await openStore({ stateDir: dir, project: "shop" });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves it to `slipway resume`: a rollback is no release's process to run again", async () => {
    const change = { service: "shop-web", cluster: "shop-dev", ecsDeploymentId: "ecs-svc/9", from: { taskDefinition: "td/shop-web:2" }, to: { taskDefinition: "td/shop-web:1" } };
    await store.runs.create({ kind: "rollback", id: "rollback-left", environment: "dev", requestedBy: "cli:ana", rollback: change });
    const before = await store.runs.update("rollback-left", { status: "running", runner: { pid: 2 ** 22 + 7, host: "gone" } });
    const said: string[] = [];
    const project = {
      name: "shop",
      lifecycle: new Lifecycle([{ name: "dev", optional: false }]),
      targets: new Map(),
      store,
      clientsFor: () => {
        throw new Error("nothing may be run");
      },
    };
    expect(await resumeOrphanedRuns(project, { log: (line) => said.push(line) }, (line) => said.push(line))).toEqual([]);
    expect(said).toEqual(["rollback rollback-left of shop-web in dev is running: not resumed here; `slipway resume rollback-left` watches it to its end"]);
    expect(await store.runs.get("rollback-left")).toEqual(before);
  });
});
