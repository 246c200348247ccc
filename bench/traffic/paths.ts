import { rmSync } from "node:fs";
import { ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients } from "../../src/aws/clients.js";
import type { Simulator } from "../../src/sim/simulator.js";
import { cli, cliOk, deploymentIdOf, until, type CliRun } from "./cli.js";
import { startLoad, type Sample } from "./load.js";
import { watchListener, type Interval, type ListenerWatch, type Observation } from "./watch.js";
import { makeWorld, release, unhealthyTag, type Mode, type World } from "./world.js";

/**
 * The deployment paths, each measured from the client's side: the load runs from half a second before the path's
 * first command to a second after its last, and every request's outcome is kept.
 *
 * rolling; canary to completion; `slipway rollback` of that canary's environment; a failed canary (an image that
 * fails its health checks) rolling itself back; a deployment killed (kill -9) at canary 10 %, then `slipway
 * resume`d; a canary aborted at each stage with traffic at stake — while testers verify it, mid-shift (canary at
 * 50 %), during the primary rollout; blue/green to completion; an abort after all traffic moved to green.
 * Last, a control that is not a deployment: half the traffic sent for a second to a target group with no healthy
 * target, which must show as 503s — the instrument sees failures when there are any.
 */
export type PathName =
  | "rolling"
  | "canary"
  | "rollback"
  | "failed-canary"
  | "kill-resume"
  | "control-empty-group"
  | "abort-in-verification"
  | "abort-mid-shift"
  | "abort-in-primary-rollout"
  | "blue-green"
  | "abort-after-shift";

/** The worlds the paths run in, each its own cluster and load balancer: independent, so they may run side by side. */
export type WorldKind = "rolling" | "canary" | "canary-aborts" | "blue-green";

/** Paths that end with the new revision serving: after the verification rule first answered, the header must never reach the old one. */
export const succeedingPaths: readonly PathName[] = ["canary", "kill-resume", "blue-green"];

export const pathsByWorld: Record<WorldKind, PathName[]> = {
  rolling: ["rolling"],
  canary: ["canary", "rollback", "failed-canary", "kill-resume", "control-empty-group"],
  "canary-aborts": ["abort-in-verification", "abort-mid-shift", "abort-in-primary-rollout"],
  "blue-green": ["blue-green", "abort-after-shift"],
};

const modeOf: Record<WorldKind, Mode> = { rolling: "rolling", canary: "canary", "canary-aborts": "canary", "blue-green": "blue-green" };

export interface TrafficSettings {
  sim: Simulator;
  endpoint: string;
  region: string;
  /** Requests per second and keep-alive connections, per loop (two loops: without and with the header). */
  rate: number;
  concurrency: number;
  /** The load stops by itself after this many seconds of a path, whatever happens. */
  maxSeconds: number;
  verifyHeader: { name: string; value: string };
  /** The CLI's --poll-interval (wall seconds). */
  pollInterval: string;
  waitTimeoutSeconds: number;
  trafficSettleSeconds?: number;
}

export interface PathResult {
  name: PathName;
  seconds: number;
  exits: string[];
  samples: Sample[];
  observations: Observation[];
  verifyRule: Interval[];
}

interface PathContext {
  started: number;
  run(args: string[], label?: string): CliRun;
  watch: ListenerWatch;
}

async function measure(settings: TrafficSettings, world: World, name: PathName, script: (ctx: PathContext) => Promise<string[]>): Promise<PathResult> {
  const load = startLoad({ port: world.port, rate: settings.rate, concurrency: settings.concurrency, maxSeconds: settings.maxSeconds, header: settings.verifyHeader });
  const started = load.started;
  const watch = watchListener(settings.sim, settings.region, world.listenerArn, world.names, started);
  const runs: CliRun[] = [];
  let exits: string[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    exits = await script({
      started,
      watch,
      run: (args, label) => {
        const run = cli(world.dir, args, started, label ?? args[0] ?? "");
        runs.push(run);
        return run;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await load.stop();
    watch.stop();
    for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  }
  const seconds = (performance.now() - started) / 1000;
  const observations = [...watch.observations, ...runs.flatMap((r) => r.lines)].sort((a, b) => a.t - b.t);
  return { name, seconds, exits, samples: load.samples, observations, verifyRule: watch.verifyRule };
}

/** Runs the wanted paths of one world, in order, handing each result over as it ends; the world's folder is removed after. */
export async function runWorld(settings: TrafficSettings, kind: WorldKind, prefix: string, wanted: (name: PathName) => boolean, onResult: (result: PathResult) => void): Promise<void> {
  const names = pathsByWorld[kind].filter(wanted);
  if (names.length === 0) return;
  const mode = modeOf[kind];
  const world = await makeWorld({ endpoint: settings.endpoint, region: settings.region, prefix, mode, verifyHeader: settings.verifyHeader, waitTimeoutSeconds: settings.waitTimeoutSeconds, ...(settings.trafficSettleSeconds !== undefined && { trafficSettleSeconds: settings.trafficSettleSeconds }) });
  const poll = ["--poll-interval", settings.pollInterval];
  const deploy = (ctx: PathContext, version: string) => ctx.run(["deploy", version, "--to", "prod", ...poll], "deploy");
  const deployToEnd = async (ctx: PathContext, version: string) => [`deploy ${version}: exit ${await deploy(ctx, version).done}`];
  /** Deploys `version`, and once `when` holds of the listener's default weights (or the deployment's lines), runs `then` with the deployment id. */
  const deployAndAct = async (ctx: PathContext, version: string, when: (weights: Record<string, number>, before: Record<string, number>, deploying: CliRun) => boolean, then: (id: string, deploying: CliRun) => Promise<string[]>) => {
    const before = ctx.watch.weights();
    const deploying = deploy(ctx, version);
    const timeoutMs = settings.maxSeconds * 1000;
    await until("the deployment's id", () => deploymentIdOf(deploying) !== undefined, timeoutMs);
    const id = deploymentIdOf(deploying) ?? "";
    let ended: number | string | undefined;
    void deploying.done.then((code) => (ended = code));
    await until("the point to act at", () => when(ctx.watch.weights(), before, deploying) || ended !== undefined, timeoutMs);
    if (ended !== undefined) return [`deploy ${version}: exit ${ended} before the point to act at`];
    return then(id, deploying);
  };
  const abortWhen = (ctx: PathContext, version: string, when: Parameters<typeof deployAndAct>[2]) =>
    deployAndAct(ctx, version, when, async (id, deploying) => {
      const abort = ctx.run(["abort", id, "--reason", "traffic check"], "abort");
      return [`abort: exit ${await abort.done}`, `deploy ${version}: exit ${await deploying.done}`];
    });
  const path = async (name: PathName, script: (ctx: PathContext) => Promise<string[]>) => {
    if (names.includes(name)) onResult(await measure(settings, world, name, script));
  };
  try {
    if (mode === "rolling") {
      await release(world, "1.0.0", "1.1.0");
      await release(world, "1.1.0", "1.2.0");
      await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", ...poll]);
      await path("rolling", (ctx) => deployToEnd(ctx, "1.1.0"));
      return;
    }
    if (kind === "canary-aborts") {
      for (const [version, image] of [["1.0.0", "1.1.0"], ["1.1.0", "1.2.0"], ["1.2.0", "1.0.0"], ["1.3.0", "1.2.0"]] as const) await release(world, version, image);
      await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", ...poll]);
      // Testers on the canary through the header, production traffic not yet moved.
      await path("abort-in-verification", (ctx) => abortWhen(ctx, "1.1.0", () => ctx.watch.verifyRule.some(([, to]) => to === undefined)));
      await path("abort-mid-shift", (ctx) => abortWhen(ctx, "1.2.0", (w) => Object.values(w).includes(50)));
      // The new primary starting beside the old one in the live group, half the traffic still on the canary.
      await path("abort-in-primary-rollout", (ctx) => abortWhen(ctx, "1.3.0", (_w, _before, deploying) => deploying.lines.some((l) => /Z stage \d+ primary rollout$/.test(l.text))));
      return;
    }
    if (mode === "canary") {
      for (const [version, image] of [["1.0.0", "1.1.0"], ["1.1.0", "1.2.0"], ["1.2.0", unhealthyTag], ["1.4.0", "1.0.0"]] as const) await release(world, version, image);
      await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", ...poll]);
      await path("canary", (ctx) => deployToEnd(ctx, "1.1.0"));
      await path("rollback", async (ctx) => [`rollback: exit ${await ctx.run(["rollback", "--env", "prod", ...poll], "rollback").done}`]);
      await path("failed-canary", (ctx) => deployToEnd(ctx, "1.2.0"));
      await path("kill-resume", (ctx) =>
        deployAndAct(
          ctx,
          "1.4.0",
          (w) => Object.values(w).includes(10),
          async (id, deploying) => {
            deploying.child.kill("SIGKILL");
            const killed = await deploying.done;
            // A second with nobody running the deployment: the canary keeps its 10 % meanwhile.
            await new Promise((resolve) => setTimeout(resolve, 1000));
            const resume = ctx.run(["resume", id, ...poll], "resume");
            return [`deploy 1.4.0: ${killed} at canary 10 %`, `resume: exit ${await resume.done}`];
          },
        ),
      );
      // Not a deployment: the instrument's own check. Half the traffic goes, for one second, to the canary group,
      // which holds no healthy target now: those requests must show up as 503s, or the zeros above prove nothing.
      await path("control-empty-group", async () => {
        const clients = createAwsClients({ region: settings.region, endpoint: settings.endpoint });
        const [live, other] = [...world.names.keys()];
        const forward = (weights: [number, number]) =>
          clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: world.listenerArn, DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: live, Weight: weights[0] }, { TargetGroupArn: other, Weight: weights[1] }] } }] }));
        try {
          await forward([50, 50]);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await forward([100, 0]);
        } finally {
          clients.destroy();
        }
        return ["ModifyListener 50/50 to an empty canary group for 1 s, then 100/0"];
      });
      return;
    }
    for (const [version, image] of [["1.0.0", "1.1.0"], ["1.1.0", "1.2.0"], ["1.2.0", "1.0.0"]] as const) await release(world, version, image);
    await cliOk(world.dir, ["deploy", "1.0.0", "--to", "prod", ...poll]);
    await path("blue-green", (ctx) => deployToEnd(ctx, "1.1.0"));
    // All traffic on the group that had none before: green took it over.
    await path("abort-after-shift", (ctx) => abortWhen(ctx, "1.2.0", (w, before) => Object.entries(w).some(([group, weight]) => weight === 100 && before[group] === 0)));
  } finally {
    rmSync(world.dir, { recursive: true, force: true });
  }
}
