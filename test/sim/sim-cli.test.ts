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

describe("slipway sim start --request-seconds, --weight-propagation-seconds", () => {
  it("gives the load balancers' requests a duration and weight changes a delay, in simulated seconds", async () => {
    expect((await simStart()).join("\n")).toMatch(/\(speed 1x, throttling on\)/);
    expect((await simStart("--request-seconds", "2", "--weight-propagation-seconds", "30")).join("\n")).toMatch(/\(speed 1x, throttling on, requests take 2 s, weights propagate in 30 s\)/);
  });

  it("refuses a negative or non-numeric number of seconds", async () => {
    await expect(simStart("--request-seconds", "-1")).rejects.toThrow(/--request-seconds must be a number of simulated seconds, 0 or more, got "-1"/);
    await expect(simStart("--weight-propagation-seconds", "soon")).rejects.toThrow(/--weight-propagation-seconds must be a number of simulated seconds, 0 or more, got "soon"/);
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
