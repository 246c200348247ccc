import { Option, type Command } from "commander";
import { InputError } from "../../errors.js";
import { parsePort } from "../flags.js";
import type { Output } from "../output.js";

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag} must be a positive number, got "${value}".`, `For example: ${flag} 60`);
  return n;
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

/** `slipway sim start`: the embedded AWS simulator in the foreground until Ctrl-C. */
export function registerSim(program: Command, io: Output, keepAlive: (stop: () => Promise<void>) => Promise<void>): void {
  const sim = program.command("sim").description("the embedded AWS simulator (ECS, ELBv2, ECR) for laptops and tests");
  sim
    .command("start")
    .description("run the simulator in the foreground and print its endpoint")
    .option("--port <n>", "port to listen on (0 picks a free one)", "4599")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--speed <x>", "simulated seconds per real second", "1")
    .option("--frontend-base-port <n>", "first local port for the load balancers' HTTP listeners, one per listener upward (0 picks free ones)", String(defaultFrontendBasePort))
    .option("--no-throttling", "turn off ECS-like API throttling")
    .addOption(new Option("--stop-with-stdin", "stop when standard input closes: a parent that started it (the demo) going away, even killed, stops it").hideHelp())
    .action(async (opts: { port: string; host: string; speed: string; throttling: boolean; frontendBasePort: string; stopWithStdin?: boolean }) => {
      // Loaded only here: the simulator is a test double, never part of what talks to AWS.
      const { Simulator } = await import("../../sim/simulator.js");
      const { listen } = await import("../../sim/server.js");
      const base = frontendBasePort(opts.frontendBasePort);
      const simulator = new Simulator({ speed: positiveNumber("--speed", opts.speed), throttling: opts.throttling, frontendPorts: base === 0 ? "ephemeral" : { base } });
      const running = await listen(simulator, parsePort(opts.port, 4599), opts.host);
      io.out(`slipway AWS simulator listening on ${running.url} (speed ${simulator.clock.rate}x, throttling ${opts.throttling ? "on" : "off"})`);
      io.out(`Load balancer listeners answer HTTP on 127.0.0.1 ${base === 0 ? "on free ports" : `from port ${base} upward`}; GET ${running.url}/_sim/elbv2/frontends lists them.`);
      io.out(`Point a target's endpoint at ${running.url}; press Ctrl-C to stop.`);
      if (!opts.stopWithStdin) return keepAlive(running.close);
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= running.close());
      const parentGone = new Promise<void>((resolve) => process.stdin.once("close", resolve).once("end", resolve).resume());
      await Promise.race([keepAlive(stop), parentGone.then(stop)]);
    });
}
