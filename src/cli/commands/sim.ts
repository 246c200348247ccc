import { Option, type Command } from "commander";
import { InputError } from "../../errors.js";
import { lazily } from "../lazy-action.js";
import type { Output } from "../output.js";

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag} must be a positive number, got "${value}".`, `For example: ${flag} 60`);
  return n;
}

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InputError(`${flag} must be a number of simulated seconds, 0 or more, got "${value}".`, `For example: ${flag} 2`);
  return n;
}

interface StartOptions {
  port: string;
  host: string;
  speed: string;
  throttling: boolean;
  frontendBasePort: string;
  requestSeconds: string;
  weightPropagationSeconds: string;
  stopWithStdin?: boolean;
  project?: string;
  image: string[];
}

/** The first local port of the load balancers' frontends: beside 8080, 8081, … a demo's URLs are easy to read. */
const defaultFrontendBasePort = 8080;

function frontendBasePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new InputError(`--frontend-base-port must be a whole number from 0 to 65535, got "${value}".`, `For example: --frontend-base-port ${defaultFrontendBasePort} (0 picks free ports).`);
  }
  return n;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const seedHelp = `
What seeding creates, in each environment's target (its endpoint and region), when missing:
  the cluster; the load balancer, its target groups (the targets' primary and canary pair, and any group a
  verification step names) and its HTTP listener, whose default action forwards to primary at weight 100 and
  canary at weight 0 (what slipway's service step expects); the ECR repositories the task definition steps
  name, and an image under each --image tag, in every registry the targets reach (one digest everywhere).
Each valueFrom secret gets a placeholder value (SSM parameter or Secrets Manager secret); fromEnv secrets are
stored by slipway deploy from the variable each names (set it: 8 characters or more).
It refuses, before any write, a project with any target whose endpoint is not a slipway simulator
(GET <endpoint>/_sim/health answers). Running it again creates nothing.`;

/** `slipway sim start` and `sim seed`: the embedded AWS simulator, and a project's resources in it. */
export function registerSim(program: Command, io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>): void {
  const sim = program.command("sim").description("the embedded AWS simulator (ECS, ELBv2, ECR) for laptops and tests");
  sim
    .command("seed")
    .description("create in the simulator what a project's targets and step files name (clusters, load balancers, target groups, ECR images)")
    .option("--project <file>", "the project file", "slipway.yaml")
    .option("--image <repository:tag>", "push an image to the repository under this tag (repeatable, one image each)", collect, [])
    .addHelpText("after", seedHelp)
    .action(lazily(() => import("./sim-seed.js"), (m) => m.seedAction(io)));
  sim
    .command("start")
    .description("run the simulator in the foreground and print its endpoint; with --project, where the project's targets point, seeded")
    .option("--port <n>", "port to listen on (0 picks a free one); with --project, the targets' endpoints say", "4599")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--project <file>", "listen at each endpoint the project's targets name, then create what they need (as sim seed)")
    .option("--image <repository:tag>", "with --project: push an image under this tag (repeatable)", collect, [])
    .option("--speed <x>", "simulated seconds per real second", "1")
    .option("--frontend-base-port <n>", "first local port for the load balancers' HTTP listeners, one per listener upward (0 picks free ones)", String(defaultFrontendBasePort))
    .option("--no-throttling", "turn off ECS-like API throttling")
    .option("--request-seconds <s>", "simulated seconds each request a load balancer forwards takes (one cut by a stopped or drained target is a 502)", "0")
    .option("--weight-propagation-seconds <s>", "simulated seconds before a changed listener or rule forwards by its new actions (AWS documents no figure)", "0")
    .addHelpText("after", seedHelp)
    .addOption(new Option("--stop-with-stdin", "stop when standard input closes: a parent that started it (the demo) going away, even killed, stops it").hideHelp())
    .action(async (opts: StartOptions, command: Command) => {
      const base = frontendBasePort(opts.frontendBasePort);
      const speed = positiveNumber("--speed", opts.speed);
      const requestSeconds = seconds("--request-seconds", opts.requestSeconds);
      const weightPropagationSeconds = seconds("--weight-propagation-seconds", opts.weightPropagationSeconds);
      if (!opts.project && opts.image.length > 0) throw new InputError("--image needs --project: images go to the repositories a project's steps name.", "Add --project slipway.yaml, or push later with slipway sim seed --project … --image ….");
      const given = (flag: string) => command.getOptionValueSource(flag) === "cli";
      if (opts.project && (given("port") || given("host"))) {
        throw new InputError("--port and --host do not go with --project: the simulator listens where the project's targets point (their endpoint).", "Change endpoint: in the targets file (http://127.0.0.1:<port>), or drop --port/--host.");
      }
      // Loaded only here: the simulator is a test double, never part of what talks to AWS.
      const { startSimulators } = await import("./sim-start.js");
      const running = await startSimulators({ ...opts, speed, frontendBase: base, requestSeconds, weightPropagationSeconds }, io);
      io.out(`Load balancer listeners answer HTTP on 127.0.0.1 ${base === 0 ? "on free ports" : `from port ${base} upward`}; GET ${running.urls.length === 1 ? (running.urls[0] ?? "") : "<endpoint>"}/_sim/elbv2/frontends lists them.`);
      io.out(opts.project ? `Try: slipway release create 1.0.0 --project ${opts.project}; press Ctrl-C to stop.` : `Point a target's endpoint at ${running.urls[0] ?? ""}; press Ctrl-C to stop.`);
      if (!opts.stopWithStdin) return keepAlive(running.close);
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= running.close());
      const parentGone = new Promise<void>((resolve) => process.stdin.once("close", resolve).once("end", resolve).resume());
      await Promise.race([keepAlive(stop), parentGone.then(stop)]);
    });
}
