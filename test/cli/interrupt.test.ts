import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { lockState, ProjectStores } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { revisionShares, settledState, shop } from "../steps/service/task-sets/world.js";
import { shopDevSim } from "../sim/ecs-fixtures.js";
import { canaryProject } from "./canary-project.js";
import { runCli } from "./capture.js";

/** Review finding C: Ctrl-C stops a real process at a safe point, says where and how to go on, exits 130. */
describe("slipway service deploy interrupted with SIGINT", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("at the approval gate: says where it stopped and the traffic split, releases the lock, and `slipway resume` finishes", async () => {
    if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
    const s = await shop(h, "cli-sigint");
    const p = await canaryProject(h, s);
    expect((await runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:1", "--poll-interval", "0.02")).code).toBe(0);
    const child = spawn(process.execPath, ["bin/slipway.js", "service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:2", "--deployment", "int-1", "--poll-interval", "0.02"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      // Once only: a second SIGINT would exit at once, by design.
      if (stdout.includes("waiting for approval (stage 6 approval)") && !child.killed) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).toContain("SIGINT: stopping once the AWS write in flight is recorded");
    expect(stderr).toContain("interrupted at stage 6 (approval): traffic 50% live / 50% other; run `slipway resume int-1` to wait at the gate again, or `slipway abort int-1` then `slipway resume int-1` to roll back");
    expect(code).toBe(130);
    // Let go, not left behind for the next run to take over.
    expect(await lockState(await stores.of(p.project), { environment: "dev", service: s.name })).toBe("free");
    // Left as it was: the canary still takes half, nothing rolled back.
    expect(await revisionShares(h, s)).toEqual({ "shop-web:1": 0.5, "shop-web:2": 0.5 });

    expect((await runCli("approve", "int-1", "--project", p.project, "--as", "alice")).code).toBe(0);
    const resumed = await runCli("resume", "int-1", "--project", p.project, "--poll-interval", "0.02");
    expect(resumed.err).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.out.at(-1)).toMatch(/^deployed shop-web:2 to cli-sigint in dev: SUCCESSFUL/);
    expect(await settledState(h, s, s.name)).toEqual({ revision: "shop-web:2", problems: [] });
  });
});
