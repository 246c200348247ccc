import type { Command } from "commander";
import { InputError } from "../../errors.js";
import { parsePort } from "../flags.js";
import type { Output } from "../output.js";

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag} must be a positive number, got "${value}".`, `For example: ${flag} 60`);
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
    .option("--no-throttling", "turn off ECS-like API throttling")
    .action(async (opts: { port: string; host: string; speed: string; throttling: boolean }) => {
      // Loaded only here: the simulator is a test double, never part of what talks to AWS.
      const { Simulator } = await import("../../sim/simulator.js");
      const { listen } = await import("../../sim/server.js");
      const simulator = new Simulator({ speed: positiveNumber("--speed", opts.speed), throttling: opts.throttling });
      const running = await listen(simulator, parsePort(opts.port, 4599), opts.host);
      io.out(`slipway AWS simulator listening on ${running.url} (speed ${simulator.clock.rate}x, throttling ${opts.throttling ? "on" : "off"})`);
      io.out(`Point a target's endpoint at ${running.url}; press Ctrl-C to stop.`);
      await keepAlive(running.close);
    });
}
