import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerSim } from "../../src/cli/commands/sim.js";

/** `slipway sim start` in-process: the keep-alive stops at once, so each run starts and closes a simulator. */
async function simStart(...args: string[]): Promise<string[]> {
  const out: string[] = [];
  const program = new Command("slipway").exitOverride();
  registerSim(program, { out: (line) => out.push(line), err: (line) => out.push(line) }, (stop) => stop());
  await program.parseAsync(["sim", "start", "--port", "0", ...args], { from: "user" });
  return out;
}

describe("slipway sim start --frontend-base-port", () => {
  it("says where load balancer listeners answer: from 8080 by default, on free ports with 0", async () => {
    expect((await simStart()).join("\n")).toMatch(/Load balancer listeners answer HTTP on 127\.0\.0\.1 from port 8080 upward; GET http:\/\/127\.0\.0\.1:\d+\/_sim\/elbv2\/frontends lists them\./);
    expect((await simStart("--frontend-base-port", "0")).join("\n")).toContain("on free ports");
  });

  it("refuses a port that is not a whole number up to 65535", async () => {
    await expect(simStart("--frontend-base-port", "70000")).rejects.toThrow(/--frontend-base-port must be a whole number from 0 to 65535, got "70000"/);
  });
});

describe("slipway sim start --project", () => {
  it("refuses --port: the project's targets say where the simulator listens", async () => {
    await expect(simStart("--project", "examples/slipway.yaml")).rejects.toThrow(/--port and --host do not go with --project: the simulator listens where the project's targets point/);
  });

  it("refuses --image without a project, whose repositories the images go to", async () => {
    await expect(simStart("--image", "shop/web:1.0.0")).rejects.toThrow(/--image needs --project/);
  });
});
