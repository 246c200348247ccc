import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProjectStores, untilGateOpen } from "../support/project-store.js";
import type { SimHarness } from "../support/sim.js";
import { callsSince, resetCalls } from "../steps/service/world.js";
import { revisionShares, settledState, shop } from "../steps/service/task-sets/world.js";
import { shopDevSim } from "../sim/ecs-fixtures.js";
import { canaryProject } from "./canary-project.js";
import { runCli } from "./capture.js";

describe("slipway service deploy with mode: canary, slipway approve, slipway resume", () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await shopDevSim();
  });
  afterAll(() => h.close());
  const stores = new ProjectStores();
  afterEach(() => stores.closeAll());

  it("--dry-run prints every stage's AWS writes and makes none", async () => {
    const s = await shop(h, "cli-dry");
    const p = await canaryProject(h, s);
    expect((await runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:1", "--poll-interval", "0.02")).code).toBe(0);
    await resetCalls(h);
    const { code, out } = await runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:2", "--dry-run");
    expect(code).toBe(0);
    const text = out.join("\n");
    expect(out[0]).toBe("task-sets:cli-dry: 11 action(s)");
    expect(text).toContain("  + [stage 1 canary rollout 50%] create the canary task set: shop-web:2 at 50% on the other target group");
    expect(text).toMatch(/stage 3 traffic canary 10%:\n {2}· wait for the canary task set becoming steady\n {2}\+ route 90% live \/ 10% other through rule \w+\n {2}\+ route 90% live \/ 10% other through the default action of cli-dry-alb\//);
    expect(text).toContain("stage 6 approval:\n  · wait for a person: slipway approve <deployment>");
    expect(text).toContain("stage 7 primary rollout:\n  + create the primary task set: shop-web:2 at 100% on the live target group\n  · wait for the primary task set becoming steady\n  + make the new primary task set (new primary set) (shop-web:2) primary");
    // The old primary goes while testers are still held on the canary; the canary once the new weights have settled.
    expect(text).toMatch(/stage 9 canary clean:\n {2}\+ delete the task set \d+ \(shop-web:1, initial\): replaced by the new revision\n {2}\+ close this deployment's verification rules, if any\n {2}· wait until the load balancer has had 10 s to apply the new weights\n {2}\+ delete the task set \(new canary set\)/);
    expect(text).toContain("  after it: shop-web:1's task set (made again if gone) made primary, then the rest deleted");
    expect(out.at(-1)).toBe("dry run: nothing was changed");
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("waits at the approval gate, says how to approve, and goes ahead when `slipway approve` decides", async () => {
    const s = await shop(h, "cli-gate");
    const p = await canaryProject(h, s);
    const deploy = (...extra: string[]) => runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--poll-interval", "0.02", ...extra);
    expect((await deploy("--task-definition", "shop-web:1")).code).toBe(0);
    const running = deploy("--task-definition", "shop-web:2", "--deployment", "gate-1", "--release", "2.0.0");
    await untilGateOpen(await stores.of(p.project), "gate-1");
    expect(await revisionShares(h, s)).toEqual({ "shop-web:1": 0.5, "shop-web:2": 0.5 });
    const approved = await runCli("approve", "gate-1", "--project", p.project, "--as", "alice");
    expect(approved.out).toEqual(['approved "stage 6 approval" of deployment gate-1 as alice']);
    const { code, out } = await running;
    expect(code).toBe(0);
    expect(out.some((l) => l.endsWith("waiting for approval (stage 6 approval): run `slipway approve gate-1` to go ahead, or `slipway abort gate-1` to roll back"))).toBe(true);
    expect(out.at(-1)).toMatch(/^deployed shop-web:2 to cli-gate in dev: SUCCESSFUL \(ECS deployment ecs-svc\/\d+\)$/);
    expect(await settledState(h, s, "cli-gate")).toEqual({ revision: "shop-web:2", problems: [] });
    // A finished deployment resumed writes nothing.
    await resetCalls(h);
    const again = await runCli("resume", "gate-1", "--project", p.project, "--poll-interval", "0.02");
    expect(again.code).toBe(0);
    expect((await callsSince(h)).writes).toEqual({});
  });

  it("a real process killed with SIGKILL mid-rollout is finished by `slipway resume`", async () => {
    if (!existsSync("dist/src/cli/main.js")) throw new Error("dist/src/cli/main.js is missing: run `npm run build` first (npm test does it for you).");
    const s = await shop(h, "cli-kill");
    const p = await canaryProject(h, s);
    // No approval stage: the child runs on its own until it is killed.
    writeFileSync(p.step, readFileSync(p.step, "utf8").replace("  - approval: { timeoutSeconds: 30 }\n", ""));
    expect((await runCli("service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:1", "--poll-interval", "0.02")).code).toBe(0);
    const child = spawn(process.execPath, ["bin/slipway.js", "service", "deploy", p.step, "--env", "dev", "--project", p.project, "--task-definition", "shop-web:2", "--deployment", "kill-1", "--poll-interval", "0.02"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const killedAt = await new Promise<string>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        // Killed once production traffic is on the canary: the worst moment to lose the process.
        if (/done: route 90% live \/ 10% other/.test(stdout) && !child.killed) {
          child.kill("SIGKILL");
          resolve(stdout.split("\n").filter(Boolean).at(-1) ?? "");
        }
      });
      child.on("close", () => resolve("(exited before the kill)"));
    });
    expect(killedAt).not.toBe("(exited before the kill)");
    await new Promise((resolve) => child.on("close", resolve));
    expect(child.signalCode).toBe("SIGKILL");
    expect((await revisionShares(h, s))["shop-web:2"]).toBeGreaterThan(0);
    const resumed = await runCli("resume", "kill-1", "--project", p.project, "--poll-interval", "0.02");
    expect(resumed.err).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.out[0]).toMatch(/^resuming kill-1: .*canary\.service\.yaml in dev$/);
    expect(resumed.out.some((l) => l.includes("resuming deployment kill-1 of shop-web:2 from its journal"))).toBe(true);
    expect(await settledState(h, s, "cli-kill")).toEqual({ revision: "shop-web:2", problems: [] });
  });
});
